// The delivery worker's part for `message.posted` / `message.failed` (spec §5): one attempt at an outcome record
// (core/outcome-delivery.ts), logged and counted; what the queue does next, in the worker's terms.
import type { DeliveryDecision } from "../core/delivery.js";
import { userGroup } from "../core/accepted-messages.js";
import { deliverOutcome, type OutcomeRecord } from "../core/outcome-delivery.js";
import type { DeliverySender, EventQueue, MappingStore } from "../core/ports.js";
import { errorFields, type Logger } from "../log.js";
import { count, type Metrics } from "../metrics.js";

export interface OutcomeWorkerDeps {
  log: Logger;
  metrics: Metrics;
  clock: { now(): number };
  store: MappingStore;
  delivery: DeliverySender;
  /** Where an outcome that used up its attempts goes, as every delivery the worker gives up on. */
  deadLetters: EventQueue;
  config: { deliveryRetryScheduleMs: number[] };
}

/** Before an unexpected error (the store down) is retried, as for every delivery. */
const ERROR_RETRY_SECONDS = 30;

/** Undefined when the record is finished; otherwise the seconds until its next attempt. */
export async function processOutcome(
  deps: OutcomeWorkerDeps,
  outcome: OutcomeRecord,
  attempt: number,
  log: Logger,
  body: string,
): Promise<number | undefined> {
  const fields = { webhook_id: outcome.webhookId, type: outcome.event, attempt };
  let decision: DeliveryDecision;
  try {
    decision = await deliverOutcome(deps, outcome, attempt);
  } catch (error) {
    log.error("delivery.errored", { ...fields, retry_in_ms: ERROR_RETRY_SECONDS * 1000, ...errorFields(error) });
    return ERROR_RETRY_SECONDS;
  }
  deps.metrics.put({ Outcome: decision.kind, Type: outcome.event }, { Deliveries: count() });
  switch (decision.kind) {
    case "retry":
      log.warn("delivery.attempt_failed", {
        ...fields,
        status: decision.outcome.kind === "failed" ? decision.outcome.status : undefined,
        retry_in_ms: decision.delaySeconds * 1000,
      });
      return decision.delaySeconds;
    case "dead-letter":
      log.error("delivery.dead_lettered", { ...fields, reason: decision.reason });
      // Sent on by the worker itself, as for replies (docs/delivery.md): SQS's redrive is only a safety net.
      // The user's hashed group: a user_id may hold characters SQS refuses in a group id.
      await deps.deadLetters.enqueue({
        groupId: userGroup(outcome.userId),
        deduplicationId: outcome.webhookId,
        body: JSON.stringify({ ...JSON.parse(body), reason: decision.reason }),
      });
      return undefined;
    case "delivered":
      log.info("delivery.delivered", { ...fields, status: decision.status });
      return undefined;
    case "stopped":
      log.warn("delivery.stopped", { ...fields, status: decision.status });
      return undefined;
    default:
      log.info("delivery.skipped", { ...fields, reason: "already delivered" });
      return undefined;
  }
}
