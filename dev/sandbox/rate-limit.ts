// rack-attack's throttles (CONTRACT.md §5): fixed one-minute windows, `req/ip` for every request
// (3000 by default) and contact search per account (100); over the limit → 429 "Retry later\n".
import type { Reply } from "./http.js";

const PERIOD_MS = 60_000;
/** RACK_ATTACK_LIMIT default. */
export const DEFAULT_REQUESTS_PER_MINUTE = 3000;
/** RATE_LIMIT_CONTACT_SEARCH default. */
export const CONTACT_SEARCH_PER_MINUTE = 100;

/** rack-attack 6.7's default throttled response: no Retry-After, plain text. */
export const THROTTLED: Reply = { status: 429, text: "Retry later\n" };

export class Throttle {
  private windowStart = 0;
  private counts = new Map<string, number>();

  constructor(private readonly nowMs: () => number = Date.now) {}

  /** Counts one request under `key`; true while within `limit` for the current window. */
  allow(key: string, limit: number): boolean {
    const window = Math.floor(this.nowMs() / PERIOD_MS) * PERIOD_MS;
    if (window !== this.windowStart) {
      this.windowStart = window;
      this.counts = new Map();
    }
    const count = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, count);
    return count <= limit;
  }

  reset(): void {
    this.counts = new Map();
  }
}
