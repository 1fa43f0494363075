// The delivery worker (SQS FIFO consumer): decode each record, do its work (a conversation's pull, one event, or
// pending status marks), log and count every delivery decision, and set a record that must come back to its delay.
// No AWS client: testable in-process, and the local runtime runs it on its in-process queue.
import type { Context, SQSBatchItemFailure, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import type { Config } from "../config.js";
import { backoffSeconds } from "../core/backoff.js";
import { CONVERSATION_CHANGED, type ConversationSignal } from "../core/conversation-signal.js";
import type { QueuedDelivery } from "../core/queued-delivery.js";
import { pullConversation } from "../core/conversation-pull.js";
import type { DeliveryLedger } from "../core/delivery-state-port.js";
import { deliverEvent, type WorkResult } from "../core/delivery.js";
import type { ChatwootApi, Clock, DeliverySender, EventQueue, MappingStore, QueueControl } from "../core/ports.js";
import { REPLY_MARKS, retryMarksRecord } from "../core/reply-marks.js";
import { parseWorkerRecord, type WorkerRecord } from "../core/worker-record.js";
import type { MessageIndex } from "../core/message-index-port.js";
import { errorFields, type Logger } from "../log.js";
import type { Metrics } from "../metrics.js";
import { putDeliveryMetric } from "./delivery-metric.js";
import { logDecision } from "./delivery-log.js";
import { parseOutcomeRecord } from "../core/outcome-delivery.js";
import { processOutcome } from "./outcome-worker.js";

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
  /** Cursors, status and attempts (docs/delivery.md). */
  ledger: DeliveryLedger;
  /** The delivery queue itself: pending status marks get their own record. */
  queue: EventQueue;
  /** Where a given-up event goes, sent by the worker (SQS's redrive is only a safety net). */
  deadLetters: EventQueue;
}

/** A reply's worst case: the Chatwoot reads and mark around one delivery POST (stacks/delivery-timing.ts). */
const DELIVERY_TIMEOUT_MS = 10_000;

type TimeLeft = Pick<Context, "getRemainingTimeInMillis">;

export function deliveryWorkerRoute(
  deps: WorkerDeps,
): (event: SQSEvent, context?: TimeLeft) => Promise<SQSBatchResponse> {
  return async (event, context) => {
    // Stop reading more of a conversation when one more reply might not fit in the invocation (locally: no limit).
    const perReplyMs = DELIVERY_TIMEOUT_MS + 3 * deps.config.chatwootTimeoutMs;
    const hasTime = () => context === undefined || context.getRemainingTimeInMillis() > perReplyMs;
    const failures: SQSBatchItemFailure[] = [];
    for (const record of event.Records) {
      if (failures.length > 0) {
        // FIFO order (Powertools' SqsFifoPartialProcessor): after a failure the rest go back untried, visible at
        // once; their group stays behind the failed record. Unreachable at batch size 1 (stacks/delivery-timing.ts).
        await deps.queueControl.setVisibility(record.receiptHandle, 0);
        failures.push({ itemIdentifier: record.messageId });
        continue;
      }
      const delaySeconds = await processRecord(deps, record, hasTime);
      if (delaySeconds === undefined) continue;
      await deps.queueControl.setVisibility(record.receiptHandle, delaySeconds);
      failures.push({ itemIdentifier: record.messageId });
    }
    return { batchItemFailures: failures };
  };
}

/** Undefined when the record is finished; otherwise the seconds until it comes back. */
async function processRecord(deps: WorkerDeps, record: SQSRecord, hasTime: () => boolean): Promise<number | undefined> {
  const log = deps.log.child({ queue_message_id: record.messageId });
  const receiveCount = Number(record.attributes.ApproximateReceiveCount) || 1;
  // Outcomes of messages accepted with `Prefer: respond-async` name their owner themselves (outcome-worker.ts).
  const outcome = parseOutcomeRecord(record.body);
  if (outcome) return processOutcome(deps, outcome, receiveCount, log, record.body);
  const parsed = parseWorkerRecord(record.body);
  if (!parsed) {
    log.error("delivery.unreadable", { receive_count: receiveCount });
    putDeliveryMetric(deps.metrics, "unreadable", undefined, deps.clock.now());
    // Never dropped silently, never retried: a body this bridge cannot read goes to the dead-letter queue as it is.
    await deps.deadLetters.enqueue({ groupId: "unreadable", deduplicationId: record.messageId, body: record.body });
    return undefined;
  }
  const fields = { record_type: parsed.type, conversation_id: parsed.conversationId, receive_count: receiveCount };
  try {
    const work = await runRecord(deps, parsed, { receiveCount, hasTime });
    if (work.dropped) log.warn("delivery.signal_dropped", { ...fields, reason: work.dropped });
    for (const item of work.items) {
      logDecision(log, item, fields);
      putDeliveryMetric(deps.metrics, item.decision, item.queued, deps.clock.now());
    }
    return work.retryInSeconds;
  } catch (error) {
    // Nothing was POSTed when this throws before the attempt was counted: no attempt is spent by an outage.
    const retryInSeconds = backoffSeconds(deps.config.deliveryRetryScheduleMs, receiveCount);
    log.error("delivery.errored", { ...fields, retry_in_ms: retryInSeconds * 1000, ...errorFields(error) });
    putDeliveryMetric(deps.metrics, "errored", undefined, deps.clock.now());
    return retryInSeconds;
  }
}

function runRecord(
  deps: WorkerDeps,
  record: WorkerRecord,
  receive: { receiveCount: number; hasTime: () => boolean },
): Promise<WorkResult> {
  switch (record.type) {
    case CONVERSATION_CHANGED:
      return pullConversation(deps, record, receive);
    case REPLY_MARKS:
      return retryMarksRecord(deps, record, receive);
    default:
      return replyOrEvent(deps, record, receive);
  }
}

/**
 * A reply announced again (an agent's Retry, Chatwoot's own failure marking) that the cursor has not passed yet goes
 * out with its conversation's pull, in message order (spec §5); one the cursor passed goes out on its own.
 */
async function replyOrEvent(
  deps: WorkerDeps,
  record: QueuedDelivery,
  receive: { receiveCount: number; hasTime: () => boolean },
): Promise<WorkResult> {
  if (record.type === "message.created" && record.messageId !== undefined) {
    const { cursor } = await deps.ledger.readConversation(record.conversationId);
    if (cursor === undefined || record.messageId > cursor) {
      const { contactId, sourceId, identifier } = record.contact ?? {};
      const contact = {
        ...(contactId !== undefined ? { contactId } : {}),
        ...(sourceId !== undefined ? { sourceId } : {}),
        ...(identifier !== undefined ? { identifier } : {}),
      };
      const signal: ConversationSignal = {
        type: CONVERSATION_CHANGED,
        conversationId: record.conversationId,
        occurredAt: record.occurredAt,
        origin: "webhook",
        messageId: record.messageId,
        ...(record.contact ? { contact } : {}),
      };
      return pullConversation(deps, signal, receive);
    }
  }
  return deliverEvent(deps, record, receive);
}
