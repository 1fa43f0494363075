// Retries that spend no delivery attempt (a store error, a throttle, a Chatwoot read that failed, a status mark
// Chatwoot did not take) wait this long: the schedule's first delay (at least 1 s), doubled per receive, capped.

/** Long outages are met at this pace: a handful of requests an hour, never a tight loop. */
const MAX_BACKOFF_SECONDS = 300;

export function backoffSeconds(scheduleMs: number[], receiveCount: number): number {
  const base = Math.max(1, Math.ceil((scheduleMs[0] ?? 1000) / 1000));
  return Math.min(base * 2 ** Math.min(Math.max(receiveCount - 1, 0), 16), MAX_BACKOFF_SECONDS);
}
