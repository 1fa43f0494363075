// The regression guard: this run against the committed bench/results/latest.json, figure by figure, naming every
// one that got more than THRESHOLD worse. Rows are matched by what they measured (layout, target, phase, latency,
// concurrency; function name); a row the previous run did not have is not compared.
import { readFileSync } from "node:fs";
import type { InboundFigures } from "./scenarios/inbound.js";
import type { WebhookFigures } from "./scenarios/webhooks.js";
import { round } from "./stats.js";
import type { BundleFigure } from "./targets.js";

/** More than 20 % worse is printed. */
export const THRESHOLD = 0.2;

export interface Regression {
  figure: string;
  before: number;
  now: number;
  /** Percent worse (positive). */
  worsePercent: number;
}

interface Comparable {
  inbound: InboundFigures[];
  webhooks: WebhookFigures[];
  bundles: BundleFigure[];
}

/** The previous run's figures, or undefined when there is none (or it cannot be read). */
export function readPrevious(file: string): Comparable | undefined {
  try {
    const json: unknown = JSON.parse(readFileSync(file, "utf8"));
    if (typeof json !== "object" || json === null) return undefined;
    const list = (key: string): unknown[] => {
      const value: unknown = Reflect.get(json, key);
      return Array.isArray(value) ? value : [];
    };
    // Runs before the layouts were named had a `store` field: "own thread" measured what "aws-like" does now.
    const inbound = list("inbound")
      .filter(isRecord)
      .map((row) => ({
        ...row,
        layout: row.layout ?? (row.store === "own thread" ? "aws-like" : "store in the bridge's thread"),
      }));
    return {
      inbound: inbound.filter(isInbound),
      webhooks: list("webhooks").filter(isWebhook),
      bundles: list("bundles").filter(isBundle),
    };
  } catch {
    return undefined;
  }
}

export function regressions(previous: Comparable, now: Comparable): Regression[] {
  const found: Regression[] = [];
  const check = (figure: string, before: number | undefined, value: number, higherIsBetter = false) => {
    if (before === undefined || before <= 0 || !Number.isFinite(value)) return;
    const worse = higherIsBetter ? (before - value) / before : (value - before) / before;
    if (worse > THRESHOLD) found.push({ figure, before, now: value, worsePercent: round(worse * 100, 0) });
  };
  for (const row of now.inbound) {
    const old = previous.inbound.find(
      (o) =>
        o.layout === row.layout &&
        o.target === row.target &&
        o.phase === row.phase &&
        o.latencyMs === row.latencyMs &&
        o.concurrency === row.concurrency,
    );
    const name = `${row.layout} ${row.target} ${row.phase}, ${row.latencyMs} ms, concurrency ${row.concurrency}:`;
    check(`${name} added p50 ms`, old?.addedMs.p50, row.addedMs.p50);
    check(`${name} added p95 ms`, old?.addedMs.p95, row.addedMs.p95);
    check(`${name} msg/s`, old?.messagesPerSecond, row.messagesPerSecond, true);
  }
  for (const row of now.webhooks) {
    const old = previous.webhooks.find(
      (o) => o.latencyMs === row.latencyMs && o.concurrency === row.concurrency && o.layout === row.layout,
    );
    check(
      `webhooks ${row.layout}, ${row.latencyMs} ms, concurrency ${row.concurrency}: ack p99 ms`,
      old?.ackMs.p99,
      row.ackMs.p99,
    );
  }
  for (const bundle of now.bundles) {
    const old = previous.bundles.find((o) => o.name === bundle.name);
    check(`bundle ${bundle.name}: bytes`, old?.bytes, bundle.bytes);
    check(`bundle ${bundle.name}: cold import median ms`, old?.importMsMedian, bundle.importMsMedian);
  }
  return found;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

function hasSummary(row: Record<string, unknown>, key: string): boolean {
  const value = row[key];
  return isRecord(value) && typeof value.p50 === "number" && typeof value.p99 === "number";
}

function isInbound(row: Record<string, unknown>): row is Record<string, unknown> & InboundFigures {
  return typeof row.layout === "string" && typeof row.phase === "string" && hasSummary(row, "addedMs");
}

function isWebhook(row: unknown): row is WebhookFigures {
  if (!isRecord(row) || !hasSummary(row, "ackMs")) return false;
  // Runs before the layouts were named measured the reply path with the store in its own thread.
  row.layout ??= "aws-like";
  return true;
}

function isBundle(row: unknown): row is BundleFigure {
  return isRecord(row) && typeof row.name === "string" && typeof row.bytes === "number";
}
