// The benchmark's regression guard and profile shares: pure functions over figures and a V8 profile.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { profileShares } from "../../bench/profile.js";
import { readPrevious, regressions } from "../../bench/regressions.js";
import type { InboundFigures } from "../../bench/scenarios/inbound.js";
import type { WebhookFigures } from "../../bench/scenarios/webhooks.js";

const summary = (p50: number, p95: number) => ({ n: 10, p50, p95, p99: p95, mean: p50, max: p95 });

function row(layout: InboundFigures["layout"], p50: number, p95: number, perSecond: number): InboundFigures {
  return {
    target: "bridge",
    layout,
    phase: "known",
    latencyMs: 0,
    concurrency: 1,
    messages: 10,
    failures: 0,
    roundTripMs: summary(p50, p95),
    addedMs: summary(p50, p95),
    sandboxMs: summary(0, 0),
    messagesPerSecond: perSecond,
    cpuMsPerMessage: 1,
    chatwootCallsPerMessage: 1,
    chatwootCalls: {},
    dynamoRequestsPerMessage: 3,
    dynamoRequests: {},
    dynamoMsPerMessage: 1,
    unattributedCalls: 0,
  };
}

const hook = (ackP99: number): WebhookFigures => ({
  layout: "npm start",
  latencyMs: 0,
  concurrency: 8,
  webhooks: 10,
  failures: 0,
  ackMs: summary(ackP99, ackP99),
  deliveryMs: summary(1, 1),
  webhooksPerSecond: 1,
  chatwootCallsPerWebhook: 1,
  dynamoRequestsPerWebhook: 3,
});

describe("the regression guard", () => {
  it("names each figure more than 20 % worse, in its direction, and nothing within 20 %", () => {
    const before = { inbound: [row("npm start", 10, 20, 100)], webhooks: [hook(20)], bundles: [] };
    const now = {
      inbound: [row("npm start", 12, 25, 79)],
      webhooks: [hook(24)],
      bundles: [{ name: "Health", bytes: 7_000, importMsMedian: 5 }],
    };
    expect(regressions(before, now)).toEqual([
      { figure: "npm start bridge known, 0 ms, concurrency 1: added p95 ms", before: 20, now: 25, worsePercent: 25 },
      { figure: "npm start bridge known, 0 ms, concurrency 1: msg/s", before: 100, now: 79, worsePercent: 21 },
    ]);
  });

  it("compares a row only with the same layout, and reads a results file written before layouts had names", () => {
    const dir = mkdtempSync(join(tmpdir(), "bench-previous-"));
    try {
      const file = join(dir, "latest.json");
      const { layout: _layout, ...old } = row("aws-like", 5, 10, 100);
      writeFileSync(file, JSON.stringify({ inbound: [{ ...old, store: "own thread" }], webhooks: [], bundles: [] }));
      const previous = readPrevious(file);
      expect(previous?.inbound.map((r) => r.layout)).toEqual(["aws-like"]);
      const now = { inbound: [row("npm start", 50, 100, 10), row("aws-like", 5, 13, 100)], webhooks: [], bundles: [] };
      expect(previous && regressions(previous, now).map((r) => r.figure)).toEqual([
        "aws-like bridge known, 0 ms, concurrency 1: added p95 ms",
      ]);
      expect(readPrevious(join(dir, "missing.json"))).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the profile shares", () => {
  it("charges each sample to its code, a native frame to its caller, and leaves idle time out", () => {
    const frame = (functionName: string, url: string) => ({
      functionName,
      url,
      scriptId: "0",
      lineNumber: 0,
      columnNumber: 0,
    });
    const profile = {
      startTime: 0,
      endTime: 10,
      nodes: [
        { id: 1, callFrame: frame("(root)", ""), children: [2, 3, 5] },
        { id: 2, callFrame: frame("send", "file:///x/node_modules/@smithy/core/index.js"), children: [4] },
        { id: 3, callFrame: frame("(idle)", "") },
        { id: 4, callFrame: frame("createHmac", "") },
        { id: 5, callFrame: frame("postMessage", "file:///x/functions/core/messages.ts") },
      ],
      // timeDeltas[i + 1] is the time sample i ran.
      samples: [2, 4, 3, 5],
      timeDeltas: [0, 1000, 3000, 50_000, 2000],
    };
    expect(profileShares(profile, 2)).toEqual([
      { category: "AWS SDK", msPerMessage: 2, percent: 66.7 },
      { category: "bridge (functions/, zod, middy, ofetch)", msPerMessage: 1, percent: 33.3 },
    ]);
  });
});
