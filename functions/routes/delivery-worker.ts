// The delivery worker (SQS FIFO consumer): decode each record, make one attempt with deliverEvent, report failures
// per record and set each failed record's visibility to its retry delay. No AWS client: testable in-process.
import type { SQSBatchItemFailure, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import type { Config } from "../config.js";
import { type DeliveryDecision, deliverEvent } from "../core/delivery.js";
import type { ChatwootApi, Clock, DeliverySender, MappingStore, QueueControl } from "../core/ports.js";
import { parseQueuedDelivery } from "../core/queued-delivery.js";
import type { MessageIndex } from "../core/message-index-port.js";
import { errorFields, type Logger } from "../log.js";
import type { Metrics } from "../metrics.js";
import { putDeliveryMetric } from "./delivery-metric.js";

export interface WorkerDeps {
  config: Config;
  log: Logger;
  metrics: Metrics;
  clock: Clock;
  store: MappingStore;
  messageIndex: MessageIndex;
  chatwoot: ChatwootApi;
  queueControl: QueueControl;
  delivery: DeliverySender;
}

/** Before an unexpected error (store or Chatwoot down) is retried. */
const ERROR_RETRY_SECONDS = 30;

export function deliveryWorkerRoute(deps: WorkerDeps): (event: SQSEvent) => Promise<SQSBatchResponse> {
  return async (event) => {
    const failures: SQSBatchItemFailure[] = [];
    for (const record of event.Records) {
      if (failures.length > 0) {
        // FIFO order (Powertools' SqsFifoPartialProcessor): after a failure the rest go back untried, visible at
        // once; their group stays behind the failed record. Unreachable at batch size 1 (stacks/delivery-timing.ts).
        await deps.queueControl.setVisibility(record.receiptHandle, 0);
        failures.push({ itemIdentifier: record.messageId });
        continue;
      }
      const delaySeconds = await processRecord(deps, record);
      if (delaySeconds === undefined) continue;
      await deps.queueControl.setVisibility(record.receiptHandle, delaySeconds);
      failures.push({ itemIdentifier: record.messageId });
    }
    return { batchItemFailures: failures };
  };
}

/** Undefined when the record is finished; otherwise the seconds until its next attempt. */
async function processRecord(deps: WorkerDeps, record: SQSRecord): Promise<number | undefined> {
  const log = deps.log.child({ queue_message_id: record.messageId });
  const attempt = Number(record.attributes.ApproximateReceiveCount) || 1;
  const queued = parseQueuedDelivery(record.body);
  if (!queued) {
    log.error("delivery.unreadable", { attempt });
    putDeliveryMetric(deps.metrics, "unreadable", undefined, deps.clock.now());
    return 0; // Left to the dead-letter queue after its receives: never dropped silently.
  }
  const fields = { webhook_id: queued.webhookId, type: queued.type, conversation_id: queued.conversationId, attempt };
  try {
    const decision = await deliverEvent(deps, queued, attempt);
    logDecision(log, decision, fields);
    putDeliveryMetric(deps.metrics, decision, queued, deps.clock.now());
    if (decision.kind === "retry" || decision.kind === "deferred") return decision.delaySeconds;
    if (decision.kind === "dead-letter") return 0;
    return undefined;
  } catch (error) {
    log.error("delivery.errored", { ...fields, retry_in_ms: ERROR_RETRY_SECONDS * 1000, ...errorFields(error) });
    putDeliveryMetric(deps.metrics, "errored", queued, deps.clock.now());
    return ERROR_RETRY_SECONDS;
  }
}

function logDecision(log: Logger, decision: DeliveryDecision, fields: Record<string, string | number>): void {
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
      log.warn("delivery.stopped", { ...fields, status: decision.status });
      return;
    case "retry":
      log.warn("delivery.attempt_failed", {
        ...fields,
        status: decision.outcome.kind === "failed" ? decision.outcome.status : undefined,
        retry_in_ms: decision.delaySeconds * 1000,
      });
      return;
    case "dead-letter":
      log.error("delivery.dead_lettered", fields);
  }
}
