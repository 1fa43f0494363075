// The worker's log line per delivery decision (spec §7 "Logs"): ids, statuses and counts only, and for every
// failed attempt and dead letter the reason (receiver answered 503, timed out, refused the connection, DNS).
import type { ItemResult } from "../core/delivery.js";
import type { Logger } from "../log.js";

type Fields = Record<string, string | number | boolean | undefined>;

export function logDecision(log: Logger, item: ItemResult, recordFields: Fields): void {
  const { decision, queued } = item;
  const fields: Fields = {
    ...recordFields,
    webhook_id: queued.webhookId,
    type: queued.type,
    conversation_id: queued.conversationId,
    ...(item.attempt !== undefined ? { attempt: item.attempt } : {}),
  };
  switch (decision.kind) {
    case "delivered":
      log.info("delivery.delivered", {
        ...fields,
        status: decision.status,
        status_reported: decision.statusReported,
        adopted: decision.adopted,
      });
      return;
    case "deferred":
      log.info("delivery.deferred", {
        ...fields,
        reason: "conversation being created",
        retry_in_ms: decision.delaySeconds * 1000,
      });
      return;
    case "undeliverable":
      // Counted too: Deliveries with Outcome "undeliverable" (delivery-metric.ts).
      log.warn("delivery.undeliverable", { ...fields, reason: "no user", status_reported: decision.statusReported });
      return;
    case "skipped":
      log.info("delivery.skipped", { ...fields, reason: decision.reason });
      return;
    case "stopped":
      log.warn("delivery.stopped", { ...fields, status: decision.status, reason: "receiver answered 410 Gone" });
      return;
    case "retry":
      log.warn("delivery.attempt_failed", {
        ...fields,
        status: decision.outcome.status,
        reason: decision.outcome.reason,
        retry_in_ms: decision.delaySeconds * 1000,
      });
      return;
    case "dead-letter":
      log.error("delivery.dead_lettered", {
        ...fields,
        ...(decision.outcome?.kind === "failed" ? { status: decision.outcome.status } : {}),
        reason: decision.reason,
      });
  }
}
