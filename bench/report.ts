// The terminal report: one aligned table per question, bridge and naive side by side.
import type { InboundFigures } from "./scenarios/inbound.js";
import type { WebhookFigures } from "./scenarios/webhooks.js";
import { ratio } from "./stats.js";
import type { ProfileShare } from "./profile.js";
import type { Regression } from "./regressions.js";
import type { DeployedBundle } from "./scenarios/bundles.js";
import type { TargetCheck } from "./targets.js";

type Cell = string | number | undefined;

export function table(headers: string[], rows: Cell[][]): string {
  const text = [headers, ...rows.map((row) => row.map((cell) => (cell === undefined ? "-" : String(cell))))];
  const widths = headers.map((_, column) => Math.max(...text.map((row) => (row[column] ?? "").length)));
  // Figures align right, words left.
  const pad = (cell: string, width: number) => (/^[-\d./ ]+$/.test(cell) ? cell.padStart(width) : cell.padEnd(width));
  const line = (row: string[]) =>
    row
      .map((cell, column) => pad(cell, widths[column] ?? 0))
      .join("  ")
      .trimEnd();
  return [line(text[0] ?? []), widths.map((w) => "-".repeat(w)).join("  "), ...text.slice(1).map(line)].join("\n");
}

/** The naive run of the same latency, concurrency and phase as a bridge run. */
export function baselineOf(all: InboundFigures[], bridge: InboundFigures): InboundFigures | undefined {
  return all.find(
    (f) =>
      f.target === "naive" &&
      f.layout === bridge.layout &&
      f.phase === bridge.phase &&
      f.latencyMs === bridge.latencyMs &&
      f.concurrency === bridge.concurrency,
  );
}

export function inboundTable(all: InboundFigures[]): string {
  const rows = all
    .filter((f) => f.target === "bridge")
    .map((b) => {
      const n = baselineOf(all, b);
      return [
        b.layout,
        b.latencyMs,
        b.concurrency,
        b.phase,
        b.messages,
        `${b.addedMs.p50} / ${b.addedMs.p95} / ${b.addedMs.p99}`,
        `${b.roundTripMs.p50} / ${b.roundTripMs.p95}`,
        b.messagesPerSecond,
        b.cpuMsPerMessage,
        b.chatwootCallsPerMessage,
        b.dynamoRequestsPerMessage,
        b.dynamoMsPerMessage,
        n && `${n.roundTripMs.p50} / ${n.roundTripMs.p95}`,
        n?.messagesPerSecond,
        n?.chatwootCallsPerMessage,
        n && ratio(b.chatwootCallsPerMessage, n.chatwootCallsPerMessage),
        n && ratio(b.roundTripMs.p50, n.roundTripMs.p50),
        n && ratio(b.roundTripMs.p95, n.roundTripMs.p95),
        b.failures + (n?.failures ?? 0),
      ];
    });
  return table(
    [
      "layout",
      "lat",
      "conc",
      "phase",
      "n",
      "bridge added p50/p95/p99",
      "bridge rtt p50/p95",
      "msg/s",
      "cpu ms",
      "cw",
      "ddb",
      "ddb ms",
      "naive rtt p50/p95",
      "msg/s",
      "cw",
      "calls b/n",
      "p50 b/n",
      "p95 b/n",
      "fail",
    ],
    rows,
  );
}

export function webhookTable(webhooks: WebhookFigures[]): string {
  return table(
    [
      "layout",
      "lat",
      "conc",
      "n",
      "ack p50",
      "ack p99",
      "delivery p50",
      "delivery p95",
      "delivery p99",
      "webhooks/s",
      "cw",
      "ddb",
      "fail",
    ],
    webhooks.map((w) => [
      w.layout,
      w.latencyMs,
      w.concurrency,
      w.webhooks,
      w.ackMs.p50,
      w.ackMs.p99,
      w.deliveryMs.p50,
      w.deliveryMs.p95,
      w.deliveryMs.p99,
      w.webhooksPerSecond,
      w.chatwootCallsPerWebhook,
      w.dynamoRequestsPerWebhook,
      w.failures,
    ]),
  );
}

export function bundleTable(bundles: DeployedBundle[]): string {
  return table(
    ["function", "KB (minified)", "cold import median ms", "import + fetch median ms", "largest parts (KB)"],
    bundles.map((b) => [
      b.name,
      Math.round(b.bytes / 1000),
      b.importMsMedian,
      b.importFetchMsMedian,
      b.largest.map((part) => `${part.module} ${Math.round(part.bytes / 1000)}`).join(", "),
    ]),
  );
}

export function profileTable(shares: ProfileShare[]): string {
  return table(
    ["code", "CPU ms per message", "share %"],
    shares.map((share) => [share.category, share.msPerMessage, share.percent]),
  );
}

export function regressionList(found: Regression[], previous: string | undefined): string {
  if (previous === undefined) return "  no previous results to compare with";
  if (found.length === 0) return `  nothing more than 20 % worse than ${previous}`;
  return found.map((r) => `  ${r.figure} ${r.before} -> ${r.now} (${r.worsePercent} % worse)`).join("\n");
}

export function targetTable(checks: TargetCheck[]): string {
  return table(
    ["target", "measured", "met"],
    checks.map((c) => [c.target, c.measured, c.met ? "yes" : "NO"]),
  );
}
