// npm run bench: the bridge as `npm start` runs it (the headline) and in an AWS-like layout, against the naive flow
// on the same workload, at 0 and 40 ms of Chatwoot latency and concurrency 1, 8 and 32; the reply path; bundle size
// and cold import per function. Prints tables, the goals met or not, and every figure more than 20 % worse than
// the committed bench/results/latest.json; writes bench/results/local.json (untracked).
//   -- --save      writes bench/results/latest.json instead (the committed figures change only on purpose)
//   -- --quick     a quarter of the samples (for trying changes)
//   -- --profile   also a CPU profile of sequential known-user messages: bench/results/profile.cpuprofile (untracked)
import { fileURLToPath } from "node:url";
import { startBridgeUnderTest, type BridgeUnderTest, type Layout } from "./bridge-under-test.js";
import { LoadClient } from "./load-client.js";
import { CpuProfile, profileShares, writeProfile, type ProfileShare } from "./profile.js";
import { readPrevious, regressions } from "./regressions.js";
import { bundleTable, inboundTable, profileTable, regressionList, targetTable, webhookTable } from "./report.js";
import { machine, writeResults } from "./results.js";
import { measureDeployedBundles } from "./scenarios/bundles.js";
import { runInbound, type InboundFigures, type InboundPlan, type Target } from "./scenarios/inbound.js";
import { runWebhooks, type WebhookFigures } from "./scenarios/webhooks.js";
import { round } from "./stats.js";
import { checkTargets } from "./targets.js";

const QUICK = process.argv.includes("--quick");
// --record: the option's name before --save.
const SAVE = process.argv.includes("--save") || process.argv.includes("--record");
const PROFILE = process.argv.includes("--profile");
const scale = (n: number) => (QUICK ? Math.max(8, Math.round(n / 4)) : n);

/** Sandbox latencies: 0 shows the bridge's own cost, 40 ms a realistic Chatwoot nearby. */
interface LayoutPlan {
  latencies: number[];
  concurrencies: number[];
  targets: Target[];
  webhookConcurrencies: Array<1 | 8>;
}
const LAYOUTS: Record<Layout, LayoutPlan> = {
  "npm start": {
    latencies: [0, 40],
    concurrencies: [1, 8, 32],
    targets: ["bridge", "naive"],
    webhookConcurrencies: [1, 8],
  },
  "aws-like": { latencies: [0], concurrencies: [1, 32], targets: ["bridge"], webhookConcurrencies: [8] },
};
/** New users per run (each sends one first message, then KNOWN_PER_USER more): sized to keep the run near 4 minutes. */
const USERS: Record<number, Record<number, number>> = {
  0: { 1: 150, 8: 200, 32: 320 },
  40: { 1: 60, 8: 120, 32: 240 },
};
const KNOWN_PER_USER = 2;
/** Warm-up: 10 users, 5 messages each. A user's bridge has just started; it sees about this many before anyone measures. */
const WARMUP = { users: 10, knownPerUser: 4 };
const WEBHOOK_REPLIES = { 1: 100, 8: 240 } as const;
/** The profiled run: sequential known users, npm start layout. */
const PROFILE_USERS = 150;

const RESULTS = fileURLToPath(new URL("./results/latest.json", import.meta.url));
const RESULTS_FILE = SAVE ? RESULTS : fileURLToPath(new URL("./results/local.json", import.meta.url));
const PROFILE_FILE = fileURLToPath(new URL("./results/profile.cpuprofile", import.meta.url));

const METHOD = {
  layouts:
    "npm start: startLocalBridge as npm start runs it (store in the bridge's process, sandbox webhooks on, sandbox data file written, logs written to a file). aws-like: the store in its own thread over loopback HTTP, no sandbox data file, no webhooks for inbound messages",
  warmup: `${WARMUP.users * (WARMUP.knownPerUser + 1)} messages per layout before anything is measured`,
  added:
    "per request: client round trip minus the time its Chatwoot calls spent inside the sandbox (x-sandbox-tag + sandbox timings(); injected latency counts as inside)",
  load: "closed loop: `concurrency` lanes send one after another from a worker thread; users are dealt to lanes, so no user has two requests in flight",
  naive:
    "per message: POST /contacts with inbox_id (on 422: POST /contacts/filter identifier equal_to), POST /conversations with that source_id, POST …/messages incoming; no mapping",
  calls:
    "Chatwoot calls = tagged sandbox calls / messages; DynamoDB requests counted by an SDK middleware on the bridge's own store adapter",
  webhooks:
    "agent replies in mapped conversations; their message_created payloads POSTed signed to /webhooks/chatwoot; ack = round trip, delivery = sent until the receiver has it",
  bundles:
    "handlers bundled as deployed (SST esbuild options, minified), cold import = fresh node process, median; largest parts from esbuild's metafile",
  profile:
    "--profile: inspector CPU profile of the bridge's process over sequential known-user messages, self time by code",
};

const started = performance.now();
const host = machine();
if (host.loadAverage > 1)
  process.stderr.write(`  load average ${host.loadAverage}: other work on this machine will skew the figures\n`);
const load = new LoadClient();
const inbound: InboundFigures[] = [];
const webhooks: WebhookFigures[] = [];
let profile: ProfileShare[] | undefined;
try {
  for (const layout of ["npm start", "aws-like"] as const) await runLayout(layout);
  if (PROFILE) profile = await runProfile();
} finally {
  await load.close();
}
const bundles = await measureDeployedBundles();
progress("bundles");

const targets = checkTargets(inbound, webhooks, bundles);
const previous = readPrevious(RESULTS);
const worse = previous ? regressions(previous, { inbound, webhooks, bundles }) : [];
const durationSeconds = round((performance.now() - started) / 1000, 1);
const sections = [
  ["Inbound messages (ms; added = round trip - time inside the sandbox; b/n = bridge / naive)", inboundTable(inbound)],
  ["Reply path (ms; delivery = webhook sent -> receiver has it)", webhookTable(webhooks)],
  ["Bundles as deployed", bundleTable(bundles)],
  ...(profile ? [["Where the CPU goes (npm start, sequential known users)", profileTable(profile)]] : []),
  ["Goals (judged in the npm start layout)", targetTable(targets)],
  [
    "Against the previous bench/results/latest.json",
    regressionList(worse, previous ? "bench/results/latest.json" : undefined),
  ],
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
  regressions: worse,
  ...(profile ? { profile } : {}),
});
const written = SAVE ? "bench/results/latest.json" : "bench/results/local.json (untracked; --save writes latest.json)";
process.stdout.write(`\n${durationSeconds} s; wrote ${written}\n`);

async function runLayout(layout: Layout): Promise<void> {
  const settings = LAYOUTS[layout];
  const but = await startBridgeUnderTest({ latencyMs: 0, layout });
  try {
    await warmUp(but);
    for (const latencyMs of settings.latencies) {
      but.sandbox.setLatencyMs(latencyMs);
      for (const concurrency of settings.concurrencies) {
        for (const target of settings.targets) {
          inbound.push(...(await runInbound(but, load, plan(latencyMs, concurrency), target)));
          progress(`${layout}: inbound ${target} latency ${latencyMs} ms concurrency ${concurrency}`);
        }
      }
      for (const concurrency of settings.webhookConcurrencies) {
        const replies = scale(WEBHOOK_REPLIES[concurrency]);
        webhooks.push(await runWebhooks(but, load, { label: "run", latencyMs, concurrency, replies }));
        progress(`${layout}: webhooks latency ${latencyMs} ms concurrency ${concurrency}`);
      }
    }
  } finally {
    await but.close();
  }
}

/** A fresh npm start bridge, warmed up like the measured ones, profiled over its sequential known-user messages. */
async function runProfile(): Promise<ProfileShare[]> {
  const but = await startBridgeUnderTest({ latencyMs: 0, layout: "npm start" });
  try {
    await warmUp(but);
    let cpu: CpuProfile | undefined;
    const figures = await runInbound(
      but,
      load,
      { label: "profile", latencyMs: 0, concurrency: 1, users: scale(PROFILE_USERS), knownPerUser: KNOWN_PER_USER },
      "bridge",
      {
        phases: ["first", "known"],
        before: async (phase) => {
          if (phase === "known") cpu = await CpuProfile.start();
        },
      },
    );
    const recorded = await cpu?.stop();
    if (!recorded) throw new Error("the profiler did not run");
    writeProfile(PROFILE_FILE, recorded);
    const known = figures.find((f) => f.phase === "known");
    progress("profile (bench/results/profile.cpuprofile)");
    return profileShares(recorded, known?.messages ?? 1);
  } finally {
    await but.close();
  }
}

async function warmUp(but: BridgeUnderTest): Promise<void> {
  await runInbound(but, load, { label: "warmup", latencyMs: 0, concurrency: 1, ...WARMUP }, "bridge", {
    phases: ["first", "known"],
  });
}

function plan(latencyMs: number, concurrency: number): InboundPlan {
  const users = scale(USERS[latencyMs]?.[concurrency] ?? 100);
  return { label: "run", latencyMs, concurrency, users, knownPerUser: KNOWN_PER_USER };
}

function progress(step: string): void {
  process.stderr.write(`  ${round((performance.now() - started) / 1000, 1)} s  ${step}\n`);
}
