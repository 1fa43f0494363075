// The sweep's EventBridge rate expression from SWEEP_INTERVAL. Pure: no SST globals, so tests import it directly.

/** Whole minutes: EventBridge's finest rate (the config refuses an interval under 1m). */
export function sweepRate(intervalMs: number): `rate(${string})` {
  const minutes = Math.max(1, Math.round(intervalMs / 60_000));
  return `rate(${minutes} ${minutes === 1 ? "minute" : "minutes"})`;
}
