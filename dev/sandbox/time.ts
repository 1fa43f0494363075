// Time in the sandbox: a strictly increasing microsecond clock, and the three encodings Chatwoot
// mixes (unix seconds, ISO-8601 with millis, float seconds with microseconds; CONTRACT.md §8.6).

export type MicroClock = () => number;

/**
 * Epoch microseconds, strictly increasing. The sub-millisecond digits are never all zero, so a
 * float `updated_at` always prints with a fraction, as Ruby's does.
 */
export function createMicroClock(nowMs: () => number = Date.now): MicroClock {
  let last = 0;
  return () => {
    const base = nowMs() * 1000 + 1;
    last = Math.max(base, last + 1);
    if (last % 1_000_000 === 0) last += 1;
    return last;
  };
}

export function unixSeconds(micros: number): number {
  return Math.floor(micros / 1_000_000);
}

/** `.to_i` of a nullable time: 0 when null (Chatwoot's `waiting_since`, `agent_last_seen_at`, …). */
export function unixOrZero(micros: number | null): number {
  return micros === null ? 0 : unixSeconds(micros);
}

export function isoTime(micros: number): string {
  return new Date(Math.floor(micros / 1000)).toISOString();
}

export function isoOrNull(micros: number | null): string | null {
  return micros === null ? null : isoTime(micros);
}

/** `updated_at.to_f`: seconds with microseconds. */
export function floatSeconds(micros: number): number {
  return micros / 1_000_000;
}

export const MICROS_PER_SECOND = 1_000_000;
