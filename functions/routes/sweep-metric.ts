// The sweep's metrics per run (spec §7 "sweep recoveries"): conversations signalled, unchanged and unowned, and runs
// by outcome (a pass finished, a pass left for the next run, or a failure).
import type { SweepResult } from "../core/sweep.js";
import { count, type Metrics, milliseconds } from "../metrics.js";

export type SweepRunOutcome = "complete" | "partial" | "failed";

export function putSweepMetric(metrics: Metrics, result: SweepResult | "failed", ms: number): void {
  const outcome: SweepRunOutcome = result === "failed" ? "failed" : result.passComplete ? "complete" : "partial";
  metrics.put({ Outcome: outcome }, { SweepRuns: count(), SweepMs: milliseconds(ms) });
  if (result === "failed") return;
  metrics.put({ Outcome: "signalled" }, { SweepConversations: count(result.signalled) });
  metrics.put({ Outcome: "unchanged" }, { SweepConversations: count(result.unchanged) });
  metrics.put({ Outcome: "unowned" }, { SweepConversations: count(result.unowned) });
}
