// npm run bench: the bridge as `npm start` runs it (the headline) and in an AWS-like layout, against the naive flow
// on the same workload, at 0 and 40 ms of Chatwoot latency and concurrency 1, 8 and 32; the reply path; bundle size
// and cold import per function. Prints tables, the goals met or not, and every figure more than 20 % worse than
// the committed bench/results/latest.json; writes bench/results/local.json (untracked).
//   -- --save      writes bench/results/latest.json instead (the committed figures change only on purpose)
//   -- --quick     a quarter of the samples (for trying changes)
//   -- --profile   also a CPU profile of sequential known-user messages: bench/results/profile.cpuprofile (untracked)
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { ProfileShare } from "./profile.js";
import { readPrevious, regressions } from "./regressions.js";
import { bundleTable, inboundTable, profileTable, regressionList, targetTable, webhookTable } from "./report.js";
import { machine, writeResults } from "./results.js";
import { measureDeployedBundles } from "./scenarios/bundles.js";
import { WARMUP, type Part, type PartResult } from "./run-part.js";
import type { InboundFigures } from "./scenarios/inbound.js";
import type { WebhookFigures } from "./scenarios/webhooks.js";
import { queueBacklogSection } from "./scenarios/queue-backlog.js";
import { round } from "./stats.js";
import { checkTargets } from "./targets.js";

const QUICK = process.argv.includes("--quick");
// --record: the option's name before --save.
const SAVE = process.argv.includes("--save") || process.argv.includes("--record");
const PROFILE = process.argv.includes("--profile");

const RESULTS = fileURLToPath(new URL("./results/latest.json", import.meta.url));
const RESULTS_FILE = SAVE ? RESULTS : fileURLToPath(new URL("./results/local.json", import.meta.url));

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
const inbound: InboundFigures[] = [];
const webhooks: WebhookFigures[] = [];
let profile: ProfileShare[] | undefined;
// Each part in a fresh process: the layout measured second would otherwise run on code the first one compiled.
const parts: Part[] = ["npm start", "aws-like", ...(PROFILE ? (["profile"] as const) : [])];
for (const part of parts) {
  const result = await runPartProcess(part);
  inbound.push(...result.inbound);
  webhooks.push(...result.webhooks);
  profile = result.profile ?? profile;
  progress(part === "profile" ? "profile (bench/results/profile.cpuprofile)" : `layout ${part}`);
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
  regressions: worse,
  ...(profile ? { profile } : {}),
});
const written = SAVE ? "bench/results/latest.json" : "bench/results/local.json (untracked; --save writes latest.json)";
process.stdout.write(`\n${durationSeconds} s; wrote ${written}\n`);

/** Runs one part in a fresh process (bench/run-part.ts) and returns what it measured. */
function runPartProcess(part: Part): Promise<PartResult> {
  const child = fork(fileURLToPath(new URL("./run-part.ts", import.meta.url)), [part, ...(QUICK ? ["--quick"] : [])], {
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  return new Promise((resolve, reject) => {
    let result: PartResult | undefined;
    child.once("message", (message: PartResult) => {
      result = message;
    });
    child.once("error", reject);
    child.once("exit", (code: number | null) => {
      if (result && code === 0) resolve(result);
      else reject(new Error(`bench part "${part}" ended with code ${code} and no result`));
    });
  });
}

function progress(step: string): void {
  process.stderr.write(`  ${round((performance.now() - started) / 1000, 1)} s  ${step}\n`);
}
