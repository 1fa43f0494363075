// The SQS FIFO limits the in-process queue enforces, so what works locally also works in AWS:
// a message SQS would refuse is refused here too, not first discovered in production.
import { MAX_MESSAGE_BYTES } from "../../stacks/queue-limits.js";

/** MessageGroupId and MessageDeduplicationId: 1-128 characters, ASCII letters, digits and punctuation. */
const ID_PATTERN = /^[\x21-\x7e]{1,128}$/;
/** ChangeMessageVisibility and the queue's VisibilityTimeout accept 0 to 43200 seconds (12 hours). */
const MAX_VISIBILITY_SECONDS = 43_200;
/** MessageRetentionPeriod: 60 seconds to 1,209,600 (14 days). */
const MIN_RETENTION_SECONDS = 60;
const MAX_RETENTION_SECONDS = 1_209_600;

export function checkSqsLimits(event: { groupId: string; deduplicationId: string; body: string }): void {
  if (!ID_PATTERN.test(event.groupId)) {
    throw new Error("SendMessage refused: MessageGroupId must be 1-128 ASCII letters, digits or punctuation");
  }
  if (event.deduplicationId !== "" && !ID_PATTERN.test(event.deduplicationId)) {
    throw new Error("SendMessage refused: MessageDeduplicationId must be 1-128 ASCII letters, digits or punctuation");
  }
  const bytes = Buffer.byteLength(event.body, "utf8");
  if (bytes === 0 || bytes > MAX_MESSAGE_BYTES) {
    throw new Error(`SendMessage refused: the body must be 1 to ${MAX_MESSAGE_BYTES} bytes`);
  }
}

export function checkVisibilitySeconds(seconds: number): void {
  if (!Number.isInteger(seconds) || seconds < 0 || seconds > MAX_VISIBILITY_SECONDS) {
    throw new Error(
      `ChangeMessageVisibility refused: VisibilityTimeout must be an integer from 0 to ${MAX_VISIBILITY_SECONDS}`,
    );
  }
}

export function checkRetentionSeconds(seconds: number): void {
  if (!Number.isInteger(seconds) || seconds < MIN_RETENTION_SECONDS || seconds > MAX_RETENTION_SECONDS) {
    throw new Error(
      `SetQueueAttributes refused: MessageRetentionPeriod must be an integer from ${MIN_RETENTION_SECONDS} to ${MAX_RETENTION_SECONDS}`,
    );
  }
}
