// The local queue under its own backlog (issue 12 item 2): the receiver is down, so every agent reply stays queued
// (retrying); signed webhooks keep arriving 100 at a time. Reported: the webhook acknowledgement while the backlog
// grows, and with 10,000 events queued behind the dead receiver (target: p99 ≤ 100 ms).
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type LocalBridge, startLocalBridge } from "../../dev/local-runtime.js";
import { chatwootSignature } from "../../functions/core/signatures.js";
import { createLogger } from "../../functions/log.js";
import { pick } from "../naive-client.js";
import { table } from "../report.js";
import { summarize, type Summary } from "../stats.js";

/** The load while the backlog builds: 100 webhooks in flight at once. */
const FILL_IN_FLIGHT = 100;
/** The measured webhooks: as many in flight as the reply-path scenario's highest concurrency. */
const MEASURED_IN_FLIGHT = 8;
/** Chatwoot allows 200 messages a minute per conversation (CONTRACT.md §5): 10,000 replies need over 50. */
const CONVERSATIONS = 64;
/** Nothing listens on port 9 (discard) locally: every delivery is refused and retried later. */
const DEAD_RECEIVER = "http://127.0.0.1:9/hook";
export const QUEUE_ACK_P99_TARGET_MS = 100;

export interface BacklogFigures {
  /** Events queued when the webhooks of this row were sent. */
  queued: string;
  /** Whether the row is the measurement the target (p99 ≤ 100 ms with 10,000 queued) is about. */
  target: boolean;
  ackMs: Summary;
}

interface Sample {
  queued: number;
  ms: number;
}

export async function runQueueBacklog(options: { backlog: number; measured: number }): Promise<BacklogFigures[]> {
  const dataDir = mkdtempSync(join(tmpdir(), "chatwoot-bridge-backlog-"));
  const bridge = await startLocalBridge(
    {
      PORT: "0",
      DATA_DIR: dataDir,
      DELIVERY_URL: DEAD_RECEIVER,
      DELIVERY_SECRET: `whsec_${randomBytes(32).toString("base64")}`,
    },
    { log: createLogger({}, () => undefined) },
  );
  try {
    const sandbox = bridge.sandbox;
    if (!sandbox) throw new Error("The backlog scenario needs the built-in sandbox: unset CHATWOOT_BASE_URL");
    const conversations: number[] = [];
    for (let i = 0; i < CONVERSATIONS; i++) {
      const answer = await fetch(`${bridge.url}/messages`, {
        method: "POST",
        headers: { authorization: `Bearer ${bridge.apiKey}`, "content-type": "application/json" },
        body: JSON.stringify({ user_id: `backlog-${i}`, message_id: "m-0", content: "Hello" }),
      });
      conversations.push(Number(pick(await answer.json(), "conversation_id")));
    }
    // The scenario posts the webhooks itself, signed now: the sandbox only writes them.
    sandbox.setWebhookUrl(null);
    sandbox.clearWebhookLog();
    const total = options.backlog + options.measured;
    for (let i = 0; i < total; i++) sandbox.reply(conversations[i % CONVERSATIONS] ?? 0, `Agent reply ${i}`);
    await sandbox.webhooksIdle();
    const bodies = sandbox
      .webhookLog()
      .filter((entry) => entry.event === "message_created")
      .map((entry) => entry.body);

    // Filling: the 100 webhooks in flight, until the backlog stands; then the measured webhooks on top of it.
    const fill = await postAll(bridge, sandbox.webhookSecret, bodies.slice(0, options.backlog), FILL_IN_FLIGHT);
    const measured = await postAll(bridge, sandbox.webhookSecret, bodies.slice(options.backlog), MEASURED_IN_FLIGHT);
    const rows: Array<[string, (n: number) => boolean]> = [
      ["< 1,000", (n) => n < 1_000],
      ["1,000 - 4,999", (n) => n >= 1_000 && n < 5_000],
      ["5,000 - 9,999", (n) => n >= 5_000],
    ];
    const filling = rows
      .map(([label, within]) => ({ label, ms: fill.filter((s) => within(s.queued)).map((s) => s.ms) }))
      .filter((row) => row.ms.length > 0)
      .map((row) => ({
        queued: `${row.label} (filling, ${FILL_IN_FLIGHT} in flight)`,
        target: false,
        ackMs: summarize(row.ms),
      }));
    const queuedAtLeast = Math.min(...measured.map((s) => s.queued));
    return [
      ...filling,
      {
        queued: `>= ${queuedAtLeast.toLocaleString("en")} (${MEASURED_IN_FLIGHT} in flight)`,
        target: true,
        ackMs: summarize(measured.map((s) => s.ms)),
      },
    ];
  } finally {
    await bridge.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export function backlogTable(figures: BacklogFigures[]): string {
  return table(
    ["queued", "webhooks", "ack p50", "ack p99", "max", `p99 ≤ ${QUEUE_ACK_P99_TARGET_MS}`],
    figures.map((f) => [
      f.queued,
      f.ackMs.n,
      f.ackMs.p50,
      f.ackMs.p99,
      f.ackMs.max,
      f.target ? (f.ackMs.p99 <= QUEUE_ACK_P99_TARGET_MS ? "yes" : "NO") : undefined,
    ]),
  );
}

/** Posts every body, `inFlight` at a time; each sample notes how many events were queued when it was sent. */
async function postAll(bridge: LocalBridge, secret: string, bodies: string[], inFlight: number): Promise<Sample[]> {
  const samples: Sample[] = [];
  let next = 0;
  const queued = () => {
    const { visible, inFlight: held, invisible } = bridge.queue.stats();
    return visible + held + invisible;
  };
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      for (let body = bodies[next++]; body !== undefined; body = bodies[next++]) {
        const backlog = queued();
        const started = performance.now();
        const status = await postWebhook(bridge.url, secret, body);
        if (status !== 200) throw new Error(`backlog scenario: a webhook was answered ${status}`);
        samples.push({ queued: backlog, ms: performance.now() - started });
      }
    }),
  );
  return samples;
}

/** The whole scenario as one report section, for bench/run.ts. */
export async function queueBacklogSection(quick: boolean): Promise<string> {
  return backlogTable(await runQueueBacklog({ backlog: 10_000, measured: quick ? 300 : 1_000 }));
}

/** Signed now, as Chatwoot signs (CONTRACT.md §4.2). */
async function postWebhook(url: string, secret: string, body: string): Promise<number> {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const response = await fetch(`${url}/webhooks/chatwoot`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-chatwoot-delivery": randomUUID(),
      "x-chatwoot-timestamp": timestamp,
      "x-chatwoot-signature": chatwootSignature(secret, timestamp, Buffer.from(body)),
    },
    body,
  });
  await response.text();
  return response.status;
}
