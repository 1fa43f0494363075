// The inbound worker's timeout and the inbound queue's visibility, redrive and retention (spec §3.3
// `Prefer: respond-async`). Pure: no SST globals, so the local runtime runs its in-process queue on the same numbers.
import { RETENTION_SECONDS } from "./delivery-timing.js";

/** One message per invocation: a user's next message waits for this one anyway (FIFO group per user). */
export const INBOUND_BATCH_SIZE = 1;
/**
 * One post as POST /messages makes it: up to 20 s waiting for a concurrent request's claim, a few Chatwoot calls of
 * CHATWOOT_TIMEOUT_MS each (contact, conversation, message, a lookup), and up to 50 MB of attachment downloads.
 */
export const INBOUND_WORKER_TIMEOUT_SECONDS = 120;
/** AWS's advice for queues consumed by Lambda: visibility timeout at least six times the function timeout. */
const VISIBILITY_FACTOR = 6;
/**
 * SQS's largest maxReceiveCount: retries happen at most 5 minutes apart (core/accepted-posting.ts), so 1,000 receives
 * outlast the longest INBOUND_RETRY_WINDOW (72 h, config-variables.ts); the worker reports message.failed itself.
 */
const MAX_RECEIVE_COUNT = 1000;

export const inboundTiming = {
  workerTimeoutSeconds: INBOUND_WORKER_TIMEOUT_SECONDS,
  visibilityTimeoutSeconds: VISIBILITY_FACTOR * INBOUND_WORKER_TIMEOUT_SECONDS,
  maxReceiveCount: MAX_RECEIVE_COUNT,
  retentionSeconds: RETENTION_SECONDS,
} as const;
