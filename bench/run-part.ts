// One part of `npm run bench` in a process of its own: a layout's runs, or the profile. The parts run one after
// another, each in a fresh process, so the one measured second does not find the bridge's code already compiled by
// the first one's thousands of messages. bench/run.ts forks this file and receives a PartResult over IPC.
import { fileURLToPath } from "node:url";
import { startBridgeUnderTest, type BridgeUnderTest, type Layout } from "./bridge-under-test.js";
import { LoadClient } from "./load-client.js";
import { CpuProfile, profileShares, writeProfile, type ProfileShare } from "./profile.js";
import { runInbound, type InboundFigures, type InboundPlan, type Target } from "./scenarios/inbound.js";
import { runWebhooks, type WebhookFigures } from "./scenarios/webhooks.js";
import { round } from "./stats.js";

export type Part = Layout | "profile";

export interface PartResult {
  inbound: InboundFigures[];
  webhooks: WebhookFigures[];
  profile?: ProfileShare[];
}

const QUICK = process.argv.includes("--quick");
const scale = (n: number) => (QUICK ? Math.max(8, Math.round(n / 4)) : n);
const PROFILE_FILE = fileURLToPath(new URL("./results/profile.cpuprofile", import.meta.url));
const started = performance.now();

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
export const WARMUP = { users: 10, knownPerUser: 4 };
const WEBHOOK_REPLIES = { 1: 100, 8: 240 } as const;
/** The profiled run: sequential known users, npm start layout. */
const PROFILE_USERS = 150;

async function runPart(part: Part): Promise<PartResult> {
  const load = new LoadClient();
  try {
    if (part === "profile") return { inbound: [], webhooks: [], profile: await runProfile(load) };
    return await runLayout(load, part);
  } finally {
    await load.close();
  }
}

async function runLayout(load: LoadClient, layout: Layout): Promise<PartResult> {
  const inbound: InboundFigures[] = [];
  const webhooks: WebhookFigures[] = [];
  const settings = LAYOUTS[layout];
  const but = await startBridgeUnderTest({ latencyMs: 0, layout });
  try {
    await warmUp(but, load);
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
    return { inbound, webhooks };
  } finally {
    await but.close();
  }
}

/** A fresh npm start bridge, warmed up like the measured ones, profiled over its sequential known-user messages. */
async function runProfile(load: LoadClient): Promise<ProfileShare[]> {
  const but = await startBridgeUnderTest({ latencyMs: 0, layout: "npm start" });
  try {
    await warmUp(but, load);
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

async function warmUp(but: BridgeUnderTest, load: LoadClient): Promise<void> {
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

const part = process.argv[2];
if (process.send && (part === "npm start" || part === "aws-like" || part === "profile")) {
  const result = await runPart(part);
  // Exits once the result is sent: a keep-alive socket or timer left behind must not hold the run.
  process.send(result, undefined, {}, () => process.exit(0));
}
