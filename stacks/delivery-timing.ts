// The delivery worker's timeout, the queue's visibility timeout and redrive count, derived from one place
// (DELIVERY_RETRY_SCHEDULE, CHATWOOT_TIMEOUT_MS) so they cannot disagree. Pure: no SST globals, so the local
// runtime (dev/local-runtime.ts) runs its in-process queue on the very same numbers.
import { attemptsOf } from "../functions/core/delivery.js";

/**
 * Records per worker invocation. One, so SQS's receive count is the attempt count: in a larger batch, records
 * sent back behind a failed one of their conversation would spend receives untried (docs/delivery.md).
 */
export const WORKER_BATCH_SIZE = 1;
/** Spec §5: a delivery attempt is abandoned after 10 s. */
export const DELIVERY_TIMEOUT_SECONDS = 10;
/** DynamoDB lookups and claims plus SQS ChangeMessageVisibility around each attempt, generously. */
const RECORD_OVERHEAD_SECONDS = 5;
/** AWS's advice for queues consumed by Lambda: visibility timeout at least six times the function timeout. */
const VISIBILITY_FACTOR = 6;
/** Limits of Lambda (timeout) and SQS (visibility, maxReceiveCount, retention). */
const MAX_LAMBDA_TIMEOUT_SECONDS = 900;
const MAX_VISIBILITY_SECONDS = 12 * 3600;
const MAX_RECEIVE_COUNT = 1000;
export const RETENTION_SECONDS = 14 * 24 * 3600;
/**
 * SQS redrives by its own receive count; the worker numbers attempts by the ApproximateReceiveCount it is
 * shown. The margin keeps a message in the queue until the worker has surely seen its last attempt and
 * marked the reply failed; receives beyond that return at once (visibility 0), costing milliseconds.
 */
export const REDRIVE_MARGIN = 3;

export interface DeliveryTiming {
  attempts: number;
  workerTimeoutSeconds: number;
  visibilityTimeoutSeconds: number;
  maxReceiveCount: number;
  retentionSeconds: number;
}

export function deliveryTiming(retryScheduleMs: number[], chatwootTimeoutMs: number): DeliveryTiming {
  const attempts = attemptsOf(retryScheduleMs);
  const perRecordSeconds = DELIVERY_TIMEOUT_SECONDS + Math.ceil(chatwootTimeoutMs / 1000) + RECORD_OVERHEAD_SECONDS;
  const workerTimeoutSeconds = WORKER_BATCH_SIZE * perRecordSeconds;
  if (workerTimeoutSeconds > MAX_LAMBDA_TIMEOUT_SECONDS) {
    throw new Error(
      `CHATWOOT_TIMEOUT_MS is too large: a worker batch would need ${workerTimeoutSeconds} s, over Lambda's ${MAX_LAMBDA_TIMEOUT_SECONDS} s`,
    );
  }
  const visibilityTimeoutSeconds = Math.min(VISIBILITY_FACTOR * workerTimeoutSeconds, MAX_VISIBILITY_SECONDS);
  const maxReceiveCount = attempts + REDRIVE_MARGIN;
  if (maxReceiveCount > MAX_RECEIVE_COUNT)
    throw new Error(`DELIVERY_RETRY_SCHEDULE has too many entries: SQS allows at most ${MAX_RECEIVE_COUNT} receives`);
  // A message may wait out every delay, and each receive may be lost to a crash for a whole visibility timeout.
  const worstCaseSeconds =
    retryScheduleMs.reduce((sum, ms) => sum + Math.ceil(ms / 1000), 0) + maxReceiveCount * visibilityTimeoutSeconds;
  if (worstCaseSeconds > RETENTION_SECONDS) {
    throw new Error(
      `DELIVERY_RETRY_SCHEDULE is too long: a delivery could outlive the queue's ${RETENTION_SECONDS / 86400}-day retention`,
    );
  }
  return {
    attempts,
    workerTimeoutSeconds,
    visibilityTimeoutSeconds,
    maxReceiveCount,
    retentionSeconds: RETENTION_SECONDS,
  };
}
