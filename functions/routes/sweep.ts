// The catch-up sweep's scheduled function (spec §7): one run of sweepConversations, paced by sweep-pacing.ts, logged
// and counted. No AWS client: the local runtime runs the same route on its own timer.
import type { BaseDeps } from "../compose/deps.js";
import type { ChatwootApi, EventQueue, MappingStore } from "../core/ports.js";
import { sweepConversations, type SweepResult } from "../core/sweep.js";
import { SWEEP_WORK_MS, sweepSignalBudget } from "../core/sweep-pacing.js";
import type { SweepStore } from "../core/sweep-port.js";
import { errorFields } from "../log.js";
import { putSweepMetric } from "./sweep-metric.js";

export interface SweepRouteDeps extends BaseDeps {
  chatwoot: Pick<ChatwootApi, "listUpdatedConversations">;
  store: Pick<MappingStore, "findUserByConversation" | "findUserBySourceId" | "isClaimed" | "claimOnce">;
  sweepStore: SweepStore;
  queue: EventQueue;
}

export function sweepRoute(deps: SweepRouteDeps): () => Promise<SweepResult> {
  return async () => {
    const started = deps.clock.now();
    const limits = {
      lookbackMs: deps.config.sweepLookbackMs,
      maxSignals: sweepSignalBudget(deps.config.sweepIntervalMs),
      deadline: started + SWEEP_WORK_MS,
    };
    try {
      const result = await sweepConversations(deps, limits);
      const ms = deps.clock.now() - started;
      deps.log.info("sweep.completed", {
        listed: result.listed,
        signalled: result.signalled,
        unchanged: result.unchanged,
        unowned: result.unowned,
        pass_complete: result.passComplete,
        max_signals: limits.maxSignals,
        ms,
      });
      putSweepMetric(deps.metrics, result, ms);
      return result;
    } catch (error) {
      const ms = deps.clock.now() - started;
      deps.log.error("sweep.failed", { ...errorFields(error), ms });
      putSweepMetric(deps.metrics, "failed", ms);
      throw error;
    }
  };
}
