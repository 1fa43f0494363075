// The inbound worker (SQS FIFO consumer of the inbound queue): posts each message accepted with `Prefer:
// respond-async` (spec §3.3), one user's in their order; reports message.posted / message.failed through the
// delivery queue, or hides the message until its next attempt. No AWS client: testable in-process.
import type { SQSBatchItemFailure, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import * as z from "zod/mini";
import { MESSAGE_ACCEPTED } from "../core/accepted-messages.js";
import { type PostAcceptedDeps, postAccepted } from "../core/accepted-posting.js";
import { failedRecord, postedRecord } from "../core/outcome-delivery.js";
import type { EventQueue, QueueControl } from "../core/ports.js";
import { messagesPostBody } from "../edge/message-body-schema.js";
import { messageInput } from "../edge/message-input.js";
import { errorFields, type Logger } from "../log.js";
import { count, type Metrics } from "../metrics.js";

export interface InboundWorkerDeps extends PostAcceptedDeps {
  log: Logger;
  metrics: Metrics;
  /** The delivery queue, which carries the outcome to the external system. */
  queue: EventQueue;
  /** The inbound queue: a message waiting for its next attempt is hidden until then. */
  inboundQueueControl: QueueControl;
}

const acceptedRecord = z.object({
  type: z.literal(MESSAGE_ACCEPTED),
  acceptedAt: z.string(),
  request: messagesPostBody,
});

/** Before a record whose outcome could not be queued (the store or the delivery queue down) is tried again. */
const ERROR_RETRY_SECONDS = 30;

export function inboundWorkerRoute(deps: InboundWorkerDeps): (event: SQSEvent) => Promise<SQSBatchResponse> {
  return async (event) => {
    const failures: SQSBatchItemFailure[] = [];
    for (const record of event.Records) {
      // One user's later messages wait behind a failed one (FIFO), untried and visible again at once.
      const delaySeconds = failures.length > 0 ? 0 : await processRecord(deps, record);
      if (delaySeconds === undefined) continue;
      await deps.inboundQueueControl.setVisibility(record.receiptHandle, delaySeconds);
      failures.push({ itemIdentifier: record.messageId });
    }
    return { batchItemFailures: failures };
  };
}

/** Undefined when the record is finished; otherwise the seconds until its next attempt. */
async function processRecord(deps: InboundWorkerDeps, record: SQSRecord): Promise<number | undefined> {
  const log = deps.log.child({ queue_message_id: record.messageId });
  const attempt = Number(record.attributes.ApproximateReceiveCount) || 1;
  const accepted = readRecord(record.body);
  const messageId = accepted?.request.message_id;
  const acceptedAtMs = accepted ? Date.parse(accepted.acceptedAt) : Number.NaN;
  if (!accepted || messageId === undefined || Number.isNaN(acceptedAtMs)) {
    log.error("inbound.unreadable", { attempt });
    deps.metrics.put({ Outcome: "unreadable" }, { AcceptedMessages: count() });
    return 0; // Left to the dead-letter queue after its receives: never dropped silently.
  }
  const input = { ...messageInput(accepted.request), messageId };
  const owner = {
    userId: input.userId,
    messageId,
    ...(input.threadId !== undefined ? { threadId: input.threadId } : {}),
  };
  try {
    const outcome = await postAccepted(deps, input, { acceptedAtMs, attempt });
    const now = new Date(deps.clock.now()).toISOString();
    deps.metrics.put({ Outcome: outcome.kind }, { AcceptedMessages: count() });
    if (outcome.kind === "retry") {
      log.warn("inbound.attempt_failed", { attempt, code: outcome.code, retry_in_ms: outcome.delaySeconds * 1000 });
      return outcome.delaySeconds;
    }
    if (outcome.kind === "posted") {
      await deps.queue.enqueue(postedRecord(owner, outcome.posted, now));
      log.info("inbound.posted", {
        attempt,
        conversation_id: outcome.posted.conversationId,
        chatwoot_message_id: outcome.posted.chatwootMessageId,
      });
      return undefined;
    }
    const error = { code: outcome.code, message: outcome.message };
    await deps.queue.enqueue(failedRecord(owner, error, accepted.acceptedAt, now));
    log.warn("inbound.failed", { attempt, code: outcome.code });
    return undefined;
  } catch (error) {
    log.error("inbound.errored", { attempt, retry_in_ms: ERROR_RETRY_SECONDS * 1000, ...errorFields(error) });
    return ERROR_RETRY_SECONDS;
  }
}

function readRecord(body: string): z.infer<typeof acceptedRecord> | undefined {
  try {
    const parsed = acceptedRecord.safeParse(JSON.parse(body));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
