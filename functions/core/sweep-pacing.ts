// How much one sweep run may do: within Chatwoot's rate limit over the interval, and within the function's timeout.

/** Chatwoot's `req/ip` throttle, RACK_ATTACK_LIMIT's default (CONTRACT.md §5). */
const CHATWOOT_REQUESTS_PER_MINUTE = 3000;
/**
 * The sweep's share of that limit: each signal costs the worker about one GET (its messages after the cursor), and
 * inbound messages and deliveries need the rest. An inbox with more changed conversations is covered across runs.
 */
const SWEEP_SHARE_OF_LIMIT = 0.2;

/** Time a run spends on conversations; the stack gives the function this plus room for the listing and the log. */
export const SWEEP_WORK_MS = 60_000;

/** Signals one run may enqueue when runs come every `intervalMs`. */
export function sweepSignalBudget(intervalMs: number): number {
  return Math.max(1, Math.floor((CHATWOOT_REQUESTS_PER_MINUTE * SWEEP_SHARE_OF_LIMIT * intervalMs) / 60_000));
}
