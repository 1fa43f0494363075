// The delivery worker's timeout, the queue's visibility timeout and redrive safety net, derived from one place
// (DELIVERY_RETRY_SCHEDULE, CHATWOOT_TIMEOUT_MS) so they cannot disagree. Pure: no SST globals, so the local
// runtime (dev/local-runtime.ts) runs its in-process queue on the very same numbers.
import { attemptsOf } from "../functions/core/delivery.js";

/**
 * Records per worker invocation. One: a record is a conversation's whole pull (docs/delivery.md), and a failed
 * record's followers in a larger batch would be sent back untried.
 */
export const WORKER_BATCH_SIZE = 1;
/** Spec §5: a delivery attempt is abandoned after 10 s. */
export const DELIVERY_TIMEOUT_SECONDS = 10;
/** Chatwoot calls around one reply: the messages list, the status mark, and a first pull's look at the latest. */
const CHATWOOT_CALLS_PER_REPLY = 3;
/** DynamoDB reads and writes (cursor, attempts, marker) plus SQS calls around each reply, generously. */
const RECORD_OVERHEAD_SECONDS = 5;
/** The worker's timeout holds two replies' worst case: it starts another only while a whole one still fits. */
const REPLIES_PER_INVOCATION = 2;
/** AWS's advice for queues consumed by Lambda: visibility timeout at least six times the function timeout. */
const VISIBILITY_FACTOR = 6;
/** Limits of Lambda (timeout) and SQS (visibility, maxReceiveCount, retention). */
const MAX_LAMBDA_TIMEOUT_SECONDS = 900;
const MAX_VISIBILITY_SECONDS = 12 * 3600;
export const RETENTION_SECONDS = 14 * 24 * 3600;
/**
 * SQS's redrive is only a safety net (issue 12 item 3): the worker counts attempts in the table and sends what it
 * gives up on to the dead-letter queue itself. Receives are not attempts: store errors, throttles and Chatwoot read
 * errors come back with a bounded backoff (up to 5 minutes) for as long as the whole retry schedule and more, and a
 * pull of several failing replies spends receives on each. SQS's maximum, so only a record that keeps crashing
 * the worker before it can count anything ever gets there.
 */
export const SAFETY_NET_RECEIVE_COUNT = 1000;

export interface DeliveryTiming {
  attempts: number;
  workerTimeoutSeconds: number;
  visibilityTimeoutSeconds: number;
  maxReceiveCount: number;
  retentionSeconds: number;
}

export function deliveryTiming(retryScheduleMs: number[], chatwootTimeoutMs: number): DeliveryTiming {
  const attempts = attemptsOf(retryScheduleMs);
  const perReplySeconds =
    DELIVERY_TIMEOUT_SECONDS + CHATWOOT_CALLS_PER_REPLY * Math.ceil(chatwootTimeoutMs / 1000) + RECORD_OVERHEAD_SECONDS;
  const workerTimeoutSeconds = REPLIES_PER_INVOCATION * perReplySeconds;
  if (workerTimeoutSeconds > MAX_LAMBDA_TIMEOUT_SECONDS) {
    throw new Error(
      `CHATWOOT_TIMEOUT_MS is too large: a worker invocation would need ${workerTimeoutSeconds} s, over Lambda's ${MAX_LAMBDA_TIMEOUT_SECONDS} s`,
    );
  }
  const visibilityTimeoutSeconds = Math.min(VISIBILITY_FACTOR * workerTimeoutSeconds, MAX_VISIBILITY_SECONDS);
  // One reply may wait out every delay, and each of its attempts may be lost to a crash for a visibility timeout.
  const worstCaseSeconds =
    retryScheduleMs.reduce((sum, ms) => sum + Math.ceil(ms / 1000), 0) + attempts * visibilityTimeoutSeconds;
  if (worstCaseSeconds > RETENTION_SECONDS) {
    throw new Error(
      `DELIVERY_RETRY_SCHEDULE is too long: a delivery could outlive the queue's ${RETENTION_SECONDS / 86400}-day retention`,
    );
  }
  return {
    attempts,
    workerTimeoutSeconds,
    visibilityTimeoutSeconds,
    maxReceiveCount: SAFETY_NET_RECEIVE_COUNT,
    retentionSeconds: RETENTION_SECONDS,
  };
}
