// Inbound scenarios: new users' first messages, then the same users' later messages, then (bridge only) each
// user's first message on a new thread, sent by the bridge's
// client (POST /messages) or the naive client, at one concurrency. Each request's time inside the sandbox is
// the sum of its tagged calls' timings; what is left of the round trip is what the bridge (or client) added.
import type { BridgeUnderTest } from "../bridge-under-test.js";
import type { LoadClient } from "../load-client.js";
import { dealLanes, type ChatwootTarget, type Job, type LoadResult } from "../load.js";
import { round, summarize, type Summary } from "../stats.js";

export type Target = "bridge" | "naive";
export type Phase = "first" | "known" | "new thread";

export interface InboundPlan {
  /** Makes user ids unique across runs (users are never reused: a first message must be a first). */
  label: string;
  latencyMs: number;
  concurrency: number;
  users: number;
  /** Later messages per user, after the first. */
  knownPerUser: number;
}

export interface InboundFigures {
  target: Target;
  layout: BridgeUnderTest["layout"];
  phase: Phase;
  latencyMs: number;
  concurrency: number;
  messages: number;
  failures: number;
  roundTripMs: Summary;
  /** Round trip minus the time the request's Chatwoot calls spent inside the sandbox. */
  addedMs: Summary;
  sandboxMs: Summary;
  messagesPerSecond: number;
  /**
   * CPU time of the whole bench process (process.cpuUsage: bridge, sandbox, store, the load client's thread) per
   * message: unlike wall times, hardly moved by other work on the machine, so runs on a busy machine compare.
   */
  cpuMsPerMessage: number;
  /** The calls made for these requests (tagged), per message: Chatwoot's webhooks may start other calls meanwhile. */
  chatwootCallsPerMessage: number;
  chatwootCalls: Record<string, number>;
  dynamoRequestsPerMessage: number;
  dynamoRequests: Record<string, number>;
  /** Mean wall time per message spent in DynamoDB requests (part of addedMs; overlapping at concurrency). */
  dynamoMsPerMessage: number;
  /** Sandbox calls no request could be named for: the delivery worker's (npm start layout), else 0. */
  unattributedCalls: number;
}

/** Which phases to run (default: all the target has) and what to do just before each (the profiler starts). */
export interface InboundHooks {
  phases?: Phase[];
  before?: (phase: Phase) => Promise<void>;
}

export async function runInbound(
  but: BridgeUnderTest,
  load: LoadClient,
  plan: InboundPlan,
  target: Target,
  hooks: InboundHooks = {},
): Promise<InboundFigures[]> {
  const prefix = `${plan.label}-${target}-l${plan.latencyMs}-c${plan.concurrency}`;
  const users = Array.from({ length: plan.users }, (_, i) => `${prefix}-user-${i}`);
  const job =
    (offset: number) =>
    (userId: string, n: number): Job => {
      const messageId = `m-${n + offset}`;
      return {
        tag: `${userId}/${messageId}`,
        userId,
        messageId,
        content: `Hello from ${userId}, message ${n + offset}`,
      };
    };
  const first = dealLanes(users, 1, plan.concurrency, job(0));
  const known = dealLanes(users, plan.knownPerUser, plan.concurrency, job(1));
  // The naive client has no threads: only the bridge runs this phase.
  const threaded = (userId: string, n: number): Job => ({
    ...job(plan.knownPerUser + 1)(userId, n),
    threadId: "order-1",
  });
  const thread = target === "bridge" ? dealLanes(users, 1, plan.concurrency, threaded) : [];
  for (const lane of [...first, ...known, ...thread]) for (const j of lane) but.tags.plan(j.userId, j.messageId, j.tag);
  const figures: InboundFigures[] = [];
  const phases: Array<[Phase, Job[][]]> = [
    ["first", first],
    ["known", known],
  ];
  if (thread.length > 0) phases.push(["new thread", thread]);
  for (const [phase, lanes] of phases) {
    if (hooks.phases && !hooks.phases.includes(phase)) continue;
    await but.settle();
    but.resetCounters();
    await hooks.before?.(phase);
    const cpu = process.cpuUsage();
    const result = await load.run({
      target,
      bridgeUrl: but.bridge.url,
      apiKey: but.bridge.apiKey,
      chatwoot: chatwootTarget(but),
      lanes,
    });
    const used = process.cpuUsage(cpu);
    figures.push(measure(but, plan, target, phase, result, (used.user + used.system) / 1000));
  }
  return figures;
}

export function chatwootTarget(but: BridgeUnderTest): ChatwootTarget {
  const { sandbox } = but;
  return {
    apiBase: `${sandbox.url}/api/v1/accounts/${sandbox.accountId}`,
    inboxId: sandbox.inboxId,
    token: sandbox.apiToken,
  };
}

function measure(
  but: BridgeUnderTest,
  plan: InboundPlan,
  target: Target,
  phase: Phase,
  result: LoadResult,
  cpuMs: number,
): InboundFigures {
  const inside = new Map<string, number>();
  const calls: Record<string, number> = {};
  let unattributed = 0;
  for (const timing of but.sandbox.timings()) {
    if (timing.tag === undefined) {
      unattributed += 1;
      continue;
    }
    inside.set(timing.tag, (inside.get(timing.tag) ?? 0) + timing.ms);
    calls[timing.route] = (calls[timing.route] ?? 0) + 1;
  }
  const ok = result.samples.filter((sample) => sample.ok);
  const sandboxMs = ok.map((sample) => inside.get(sample.tag) ?? 0);
  const messages = result.samples.length;
  const callTotal = Object.values(calls).reduce((sum, count) => sum + count, 0);
  return {
    target,
    layout: but.layout,
    phase,
    latencyMs: plan.latencyMs,
    concurrency: plan.concurrency,
    messages,
    failures: messages - ok.length,
    roundTripMs: summarize(ok.map((sample) => sample.ms)),
    addedMs: summarize(ok.map((sample, i) => sample.ms - (sandboxMs[i] ?? 0))),
    sandboxMs: summarize(sandboxMs),
    messagesPerSecond: round((messages / result.wallMs) * 1000, 1),
    cpuMsPerMessage: round(cpuMs / messages),
    chatwootCallsPerMessage: round(callTotal / messages),
    chatwootCalls: calls,
    dynamoRequestsPerMessage: round(but.dynamo.total() / messages),
    dynamoRequests: but.dynamo.counts(),
    dynamoMsPerMessage: round(but.dynamo.totalMs() / messages),
    unattributedCalls: unattributed,
  };
}
