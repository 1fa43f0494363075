// An inbox with 2,000 conversations updated within the lookback is covered across sweep runs without a 429: each run
// lists once and signals at most its budget, and a stand-in for the delivery worker spends one Chatwoot GET per
// signal (its messages after the cursor). The sandbox's rack-attack window is moved a minute between runs, as the
// schedule would; the whole 2,000 at once would overrun the limit. Real HTTP, the real local store.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChatwootClient } from "../../functions/adapters/chatwoot-client.js";
import { DynamoMappingStore } from "../../functions/adapters/dynamo-mapping-store.js";
import { DynamoSweepStore } from "../../functions/adapters/dynamo-sweep-store.js";
import { sweepConversations } from "../../functions/core/sweep.js";
import { sweepSignalBudget } from "../../functions/core/sweep-pacing.js";
import { ensureTable, startEmbeddedStore, type EmbeddedStore } from "../../dev/embedded-store.js";
import { startSandbox, type Sandbox } from "../../dev/sandbox/server.js";
import { RecordingQueue } from "../support/recording-queue.js";

const CONVERSATIONS = 2000;
/** SWEEP_INTERVAL 1m: 600 signals a run. */
const INTERVAL_MS = 60_000;
/** Under Chatwoot's 3,000 so that 2,000 GETs in one minute would be refused, over one run's 600 + its listing. */
const LIMIT_PER_MINUTE = 700;

let sandbox: Sandbox;
let embedded: EmbeddedStore;
let dataDir: string;
let throttleNow = Date.now();

beforeAll(async () => {
  sandbox = await startSandbox({ requestLimitPerMinute: LIMIT_PER_MINUTE, throttleClock: () => throttleNow });
  dataDir = await mkdtemp(join(tmpdir(), "bridge-sweep-pacing-"));
  embedded = await startEmbeddedStore({ dataDir, tableName: "sweep-pacing" });
  await ensureTable(embedded.endpoint, "sweep-pacing");
  // Agent-started conversations of contacts whose identifier is a user id: each belongs to a user (spec §4).
  for (let i = 0; i < CONVERSATIONS; i++) {
    const contact = sandbox.newContact({ name: `User ${i}`, identifier: `u-${i}` });
    sandbox.newConversation(contact.id, "Hello from support");
  }
}, 120_000);

afterAll(async () => {
  await sandbox?.close();
  await embedded?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe("sweeping 2,000 updated conversations", () => {
  it("covers them all across runs, signalling each once, and never meets a 429", async () => {
    const statuses: number[] = [];
    const countingFetch: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      statuses.push(response.status);
      return response;
    };
    const config = {
      chatwootBaseUrl: new URL(sandbox.url),
      chatwootAccountId: sandbox.accountId,
      chatwootInboxId: sandbox.inboxId,
      chatwootApiToken: sandbox.apiToken,
      chatwootTimeoutMs: 30_000,
    };
    const chatwoot = new ChatwootClient(config, { fetch: countingFetch });
    const store = new DynamoMappingStore({ tableName: "sweep-pacing", endpoint: embedded.endpoint });
    const sweepStore = new DynamoSweepStore({ tableName: "sweep-pacing", endpoint: embedded.endpoint });
    const queue = new RecordingQueue();
    const deps = { chatwoot, store, sweepStore, queue, clock: { now: () => Date.now() } };
    const limits = () => ({
      lookbackMs: 2 * 3_600_000,
      maxSignals: sweepSignalBudget(INTERVAL_MS),
      deadline: Date.now() + 60_000,
    });

    const runs = [];
    for (let run = 0; run < 5; run++) {
      const handled = queue.records.length;
      runs.push(await sweepConversations(deps, limits()));
      // The worker's part: one GET of each signalled conversation's messages, two at a time (its concurrency).
      const signalled = queue.conversationIds().slice(handled);
      const reader = async () => {
        for (let id = signalled.shift(); id !== undefined; id = signalled.shift()) await chatwoot.listMessages(id);
      };
      await Promise.all([reader(), reader()]);
      throttleNow += INTERVAL_MS;
    }

    expect(runs.map((r) => [r.listed, r.signalled, r.passComplete])).toEqual([
      [2000, 600, false],
      [2000, 600, false],
      [2000, 600, false],
      [2000, 200, true],
      [2000, 0, true],
    ]);
    expect(new Set(queue.conversationIds()).size).toBe(CONVERSATIONS);
    expect(queue.records).toHaveLength(CONVERSATIONS);
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
    expect(statuses).toHaveLength(5 + CONVERSATIONS);
  }, 180_000);
});
