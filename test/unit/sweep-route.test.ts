// The sweep's scheduled route and its pacing: one run paced by SWEEP_INTERVAL (and scheduled at it), a sweep.completed line with its counts, and its
// metrics as EMF; a failed listing is logged as sweep.failed (no token, no content) and counted.
import { unbounded } from "../../functions/core/deadline.js";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../functions/config.js";
import { ChatwootError } from "../../functions/core/errors.js";
import type { SweepPosition, SweepStore } from "../../functions/core/sweep-port.js";
import { createLogger } from "../../functions/log.js";
import { createMetrics } from "../../functions/metrics.js";
import { type SweepRouteDeps, sweepRoute } from "../../functions/routes/sweep.js";
import { sweepSignalBudget } from "../../functions/core/sweep-pacing.js";
import { sweepRate } from "../../stacks/sweep-rate.js";
import { metricEvents } from "../support/emf.js";
import { FakeChatwoot } from "../support/fake-chatwoot.js";
import { MemoryMappingStore } from "../support/memory-mapping-store.js";
import { RecordingQueue } from "../support/recording-queue.js";

const TOKEN = "sweep-route-token-value";

class MemorySweepStore implements SweepStore {
  position: SweepPosition | undefined;
  readPosition = async () => this.position;
  savePosition = async (position: SweepPosition) => {
    this.position = position;
  };
}

function rig(chatwoot: SweepRouteDeps["chatwoot"]) {
  const lines: string[] = [];
  const sink = (line: string) => lines.push(line);
  const config = loadConfig({
    CHATWOOT_ACCOUNT_ID: "1",
    CHATWOOT_INBOX_ID: "1",
    CHATWOOT_API_TOKEN: TOKEN,
    CHATWOOT_WEBHOOK_SECRET: "secret",
    BRIDGE_API_KEY: "a-bridge-api-key-of-length",
    SWEEP_INTERVAL: "1m",
  });
  const queue = new RecordingQueue();
  const deps: SweepRouteDeps = {
    config,
    deadline: unbounded,
    log: createLogger({}, sink),
    metrics: createMetrics(sink),
    clock: { now: () => Date.now() },
    newId: () => "id",
    chatwoot,
    store: new MemoryMappingStore(),
    sweepStore: new MemorySweepStore(),
    queue,
  };
  return { deps, lines, queue };
}

const events = (lines: string[]) =>
  lines.filter((l) => !l.startsWith('{"_aws"')).map((l) => JSON.parse(l) as Record<string, unknown>);

describe("the sweep route", () => {
  it("runs one paced sweep, logs its counts and writes its metrics", async () => {
    const chatwoot = new FakeChatwoot();
    for (let id = 1; id <= 601; id++) {
      chatwoot.updatedConversations.push({
        conversationId: id,
        status: "open",
        updatedAt: 1_781_964_175 + id,
        contactId: id,
        identifier: `u-${id}`,
        sourceId: `s-${id}`,
      });
    }
    const { deps, lines, queue } = rig(chatwoot);
    const result = await sweepRoute(deps)();
    // SWEEP_INTERVAL 1m: 600 signals per run.
    expect(result).toEqual({ listed: 601, signalled: 600, unchanged: 0, unowned: 0, passComplete: false });
    expect(queue.records).toHaveLength(600);
    const [completed] = events(lines);
    expect(completed).toMatchObject({
      level: "info",
      event: "sweep.completed",
      listed: 601,
      signalled: 600,
      unchanged: 0,
      unowned: 0,
      pass_complete: false,
      max_signals: 600,
    });
    const metrics = metricEvents(lines).map(({ _aws, ...fields }) => fields);
    expect(metrics).toEqual([
      { Outcome: "partial", SweepRuns: 1, SweepMs: expect.any(Number) },
      { Outcome: "signalled", SweepConversations: 600 },
      { Outcome: "unchanged", SweepConversations: 0 },
      { Outcome: "unowned", SweepConversations: 0 },
    ]);
  });

  it("logs sweep.failed with the error's kind, never the token, counts a failed run and rethrows", async () => {
    const failing = {
      listUpdatedConversations: async () => {
        throw new ChatwootError({ operation: "list updated conversations", kind: "unavailable", status: 429 });
      },
    };
    const { deps, lines, queue } = rig(failing);
    await expect(sweepRoute(deps)()).rejects.toBeInstanceOf(ChatwootError);
    expect(events(lines)).toEqual([
      expect.objectContaining({
        level: "error",
        event: "sweep.failed",
        error_name: "ChatwootError",
        error_operation: "list updated conversations",
        error_status: 429,
      }),
    ]);
    expect(metricEvents(lines).map(({ _aws, ...fields }) => fields)).toEqual([
      { Outcome: "failed", SweepRuns: 1, SweepMs: expect.any(Number) },
    ]);
    expect(queue.records).toEqual([]);
    expect(lines.join("\n")).not.toContain(TOKEN);
  });
});

describe("the sweep's pacing and schedule", () => {
  it("lets a run signal a fifth of Chatwoot's 3,000 requests/min over its interval", () => {
    expect([sweepSignalBudget(60_000), sweepSignalBudget(300_000)]).toEqual([600, 3000]);
  });

  it("schedules the function at the interval, in whole minutes", () => {
    expect([sweepRate(60_000), sweepRate(300_000), sweepRate(3_600_000)]).toEqual([
      "rate(1 minute)",
      "rate(5 minutes)",
      "rate(60 minutes)",
    ]);
  });
});
