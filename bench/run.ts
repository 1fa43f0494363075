// npm run bench (issue #8): the bridge against the naive flow on the same workload, at 0 and 40 ms of Chatwoot
// latency and concurrency 1, 8 and 32; the reply path; bundle size and cold import. Prints tables, writes
// bench/results/local.json (untracked; `-- --record` writes the committed bench/results/latest.json).
// `npm run bench -- --quick` runs a quarter of the samples (for trying changes).
import { fileURLToPath } from "node:url";
import { startBridgeUnderTest } from "./bridge-under-test.js";
import { LoadClient } from "./load-client.js";
import { bundleTable, inboundTable, targetTable, webhookTable } from "./report.js";
import { machine, writeResults } from "./results.js";
import { measureDeployedBundles } from "./scenarios/bundles.js";
import { runInbound, type InboundFigures, type InboundPlan } from "./scenarios/inbound.js";
import { queueBacklogSection } from "./scenarios/queue-backlog.js";
import { runWebhooks, type WebhookFigures } from "./scenarios/webhooks.js";
import { round } from "./stats.js";
import { checkTargets } from "./targets.js";

const QUICK = process.argv.includes("--quick");
const scale = (n: number) => (QUICK ? Math.max(8, Math.round(n / 4)) : n);
/** Sandbox latencies: 0 shows the bridge's own cost, 40 ms a realistic Chatwoot nearby. */
const LATENCIES_MS = [0, 40];
const CONCURRENCIES = [1, 8, 32];
/** New users per run (each sends one first message, then KNOWN_PER_USER more): sized to keep the whole run under 5 minutes on 2 cores. */
const USERS: Record<number, Record<number, number>> = {
  0: { 1: 200, 8: 300, 32: 480 },
  40: { 1: 80, 8: 160, 32: 320 },
};
const KNOWN_PER_USER = 2;
/** Warm-up users, 4 messages each, at concurrency 32. */
const WARMUP_USERS = 300;
/** The comparison run with the store in the bridge's thread: 240 users, 4 later messages each. */
const SHARED_USERS = 240;
const WEBHOOK_REPLIES = { 1: 150, 8: 320 } as const;
/** The committed figures change only on purpose (`-- --record`); an ordinary run writes an untracked file. */
const RESULTS_FILE = fileURLToPath(
  new URL(process.argv.includes("--record") ? "./results/latest.json" : "./results/local.json", import.meta.url),
);

const METHOD = {
  added:
    "per request: client round trip minus the time its Chatwoot calls spent inside the sandbox (x-sandbox-tag + sandbox timings(); injected latency counts as inside)",
  load: "closed loop: `concurrency` lanes send one after another from a worker thread; users are dealt to lanes, so no user has two requests in flight",
  naive:
    "per message: POST /contacts with inbox_id (on 422: POST /contacts/filter identifier equal_to), POST /conversations with that source_id, POST …/messages incoming; no mapping",
  calls:
    "Chatwoot calls = sandbox calls() / messages; DynamoDB requests counted by an SDK middleware on the bridge's own store adapter",
  webhooks:
    "agent replies in mapped conversations; their message_created payloads POSTed signed to /webhooks/chatwoot; ack = round trip, delivery = sent until the receiver has it",
  bundles:
    "bench/bundle.ts: handlers bundled as deployed (SST esbuild options, minified), cold import = fresh node process, median",
};

const started = performance.now();
const host = machine();
if (host.loadAverage > 1)
  process.stderr.write(`  load average ${host.loadAverage}: other work on this machine will skew the figures\n`);
const but = await startBridgeUnderTest({ latencyMs: 0, storeThread: true });
const load = new LoadClient();
const inbound: InboundFigures[] = [];
const webhooks: WebhookFigures[] = [];
try {
  // Warm-up, not reported: a warm Lambda has long since compiled its hot paths. With only ~100 messages first,
  // the sequential known-user p95 came out about twice as high as after ~1000.
  for (const target of ["bridge", "naive"] as const) await runInbound(but, load, plan("warmup", 0, 32), target);
  for (const latencyMs of LATENCIES_MS) {
    but.sandbox.setLatencyMs(latencyMs);
    for (const concurrency of CONCURRENCIES) {
      for (const target of ["bridge", "naive"] as const) {
        const figures = await runInbound(but, load, plan("run", latencyMs, concurrency), target);
        inbound.push(...figures);
        progress(`inbound ${target} latency ${latencyMs} ms concurrency ${concurrency}`);
      }
    }
    for (const concurrency of [1, 8] as const) {
      webhooks.push(
        await runWebhooks(but, load, {
          label: "run",
          latencyMs,
          concurrency,
          replies: scale(WEBHOOK_REPLIES[concurrency]),
        }),
      );
      progress(`webhooks latency ${latencyMs} ms concurrency ${concurrency}`);
    }
  }
} finally {
  await but.close();
}
// npm start's layout, for comparison: the store on the bridge's own event loop.
const shared = await startBridgeUnderTest({ latencyMs: 0, storeThread: false });
try {
  await runInbound(shared, load, plan("warmup", 0, 32), "bridge");
  inbound.push(
    ...(await runInbound(
      shared,
      load,
      { ...plan("shared", 0, 32), users: scale(SHARED_USERS), knownPerUser: 4 },
      "bridge",
    )),
  );
  progress("inbound bridge latency 0 ms concurrency 32, store in the bridge's thread");
} finally {
  await load.close();
  await shared.close();
}
const bundles = await measureDeployedBundles();
progress("bundles");

const targets = checkTargets(inbound, webhooks, bundles);
const durationSeconds = round((performance.now() - started) / 1000, 1);
const sections = [
  ["Inbound messages (ms; added = round trip - time inside the sandbox; b/n = bridge / naive)", inboundTable(inbound)],
  ["Reply path (ms; delivery = webhook sent -> receiver has it)", webhookTable(webhooks)],
  ["Bundles as deployed", bundleTable(bundles)],
  ["Targets", targetTable(targets)],
  ["Local queue backlog (webhook ack ms, receiver down)", await queueBacklogSection(QUICK)],
];
for (const [title, body] of sections) process.stdout.write(`\n${title}\n${body}\n`);
writeResults(RESULTS_FILE, {
  measuredAt: new Date().toISOString(),
  ...host,
  durationSeconds,
  method: METHOD,
  targets,
  inbound,
  webhooks,
  bundles,
});
process.stdout.write(`\n${durationSeconds} s; wrote bench/results/latest.json\n`);

function plan(label: string, latencyMs: number, concurrency: number): InboundPlan {
  const users = scale(label === "warmup" ? WARMUP_USERS : (USERS[latencyMs]?.[concurrency] ?? 100));
  return { label, latencyMs, concurrency, users, knownPerUser: label === "warmup" ? 3 : KNOWN_PER_USER };
}

function progress(step: string): void {
  process.stderr.write(`  ${round((performance.now() - started) / 1000, 1)} s  ${step}\n`);
}
