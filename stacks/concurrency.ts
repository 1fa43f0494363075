// Capacity by design (spec §7): no reserved-concurrency caps on the functions; the HTTP API's stage throttle protects
// the account, and the worker's event source scales to 50 deliveries/s with room for slow conversations.
// Chatwoot's own limit (3000 requests/min per IP, CONTRACT.md §5) is met by the client's backoff on 429, not here.
// Pure: no SST globals. The arithmetic is in docs/infra.md ("Capacity"); test/infra/capacity.test.ts checks it.

/** Spec §7: what the bridge must take without being the bottleneck. */
export const TARGET_INBOUND_PER_SECOND = 100;
export const TARGET_DELIVERIES_PER_SECOND = 50;

/**
 * Seconds one request holds an instance, as planned: a new user's first message is 2 Chatwoot writes (~400 ms
 * each, CONTRACT.md §5's Rails writes) plus 4 DynamoDB requests (~10 ms each).
 */
export const NEW_USER_MESSAGE_SECONDS = 1;
/** One delivery: its DynamoDB reads and claim, the POST to a receiver answering in 100 ms, Chatwoot's PATCH. */
export const DELIVERY_SECONDS = 0.5;

/**
 * The stage's throttle (every route): twice the spec's inbound rate, so 1,000 first messages in 10 s pass whole,
 * while a runaway client cannot take the account's Lambda concurrency (1,000 by default) by itself.
 */
export const API_THROTTLE = { rateLimitPerSecond: 2 * TARGET_INBOUND_PER_SECOND, burstLimit: 500 } as const;

/**
 * The delivery worker's event source limit (SQS allows 2–1000). Healthy flow needs
 * TARGET_DELIVERIES_PER_SECOND × DELIVERY_SECONDS = 25 instances; FIFO keeps at most one batch in flight per
 * conversation, so a conversation whose receiver times out (10 s) holds at most one instance, and the other 75 keep
 * serving other conversations.
 */
export const WORKER_MAX_CONCURRENCY = 100;

/** Concurrent instances a steady `perSecond` needs when each request holds one for `seconds`. */
export function instancesFor(perSecond: number, seconds: number): number {
  return Math.ceil(perSecond * seconds);
}
