// When a local data file (the sandbox's state, the receiver's feed) is rewritten: once changes pause for QUIET_MS, and
// during a steady stream of changes at most every MAX_WAIT_MS (longer when the data is large); saves run one at a
// time, each writing the data of its own moment, and close() writes the last of it.
//
// Why not sooner: a save first takes a snapshot, JSON of the whole data, which costs the event loop the bridge shares
// under `npm start` (the sandbox's: about 15 ms at a few thousand messages, growing with them; it is built in slices,
// dev/sliced-json.ts). Saving every 200 ms, or on every change, under a benchmark's load stalled every request behind
// it several times a second.

/** A pause in changes this long (a burst is over): save now. */
export const QUIET_MS = 200;
/** Under a steady stream of changes, the oldest unsaved change waits at most this long… */
export const MAX_WAIT_MS = 5_000;
/** …or this many times the last snapshot's time, whichever is longer: snapshots stay under about 0.5 % of the loop. */
export const SNAPSHOT_TIME_FACTOR = 200;

export interface SaveScheduleOptions {
  quietMs?: number;
  maxWaitMs?: number;
  /** Milliseconds on a monotonic clock (tests pass their own). */
  now?: () => number;
}

export class SaveSchedule {
  private timer: NodeJS.Timeout | undefined;
  private dirty = false;
  /** When the oldest unsaved change was made. */
  private dirtySince = 0;
  private closed = false;
  /** How long the last save kept its caller: the snapshot's synchronous part (the sandbox's JSON is built in slices). */
  private lastSnapshotMs = 0;
  /** The latest write; rejects when it failed (the data stays dirty, so the next save retries). */
  private last: Promise<void> = Promise.resolve();
  /** The write chain, never rejected, so a failure does not block the saves after it. */
  private chain: Promise<void> = Promise.resolve();
  private readonly quietMs: number;
  private readonly maxWaitMs: number;
  private readonly now: () => number;

  constructor(
    private readonly save: () => Promise<void>,
    options: SaveScheduleOptions = {},
  ) {
    this.quietMs = options.quietMs ?? QUIET_MS;
    this.maxWaitMs = options.maxWaitMs ?? MAX_WAIT_MS;
    this.now = options.now ?? (() => performance.now());
  }

  markDirty(): void {
    if (this.closed) return;
    const now = this.now();
    if (!this.dirty) {
      this.dirty = true;
      this.dirtySince = now;
    }
    const untilDeadline = this.dirtySince + this.longestWaitMs() - now;
    const delay = Math.max(0, Math.min(this.quietMs, untilDeadline));
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.writeNow().catch(() => undefined), delay);
  }

  /** How long the oldest unsaved change may wait while changes keep coming. */
  longestWaitMs(): number {
    return Math.max(this.maxWaitMs, Math.round(this.lastSnapshotMs * SNAPSHOT_TIME_FACTOR));
  }

  /** Resolves once every change made so far is on disk (a pending save is written at once). */
  saved(): Promise<void> {
    return this.dirty ? this.writeNow() : this.last;
  }

  /** Stops scheduling and writes the final state. */
  async close(): Promise<void> {
    if (this.closed) return this.last;
    this.closed = true;
    return this.writeNow();
  }

  private writeNow(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.dirty = false;
    const write = this.chain.then(() => this.timedSave());
    this.last = write;
    this.chain = write.catch(() => {
      // Tried again with the next change, or after the longest wait: never a save per change while the disk fails.
      this.dirty = true;
      this.dirtySince = this.now();
      if (!this.closed) {
        clearTimeout(this.timer);
        this.timer = setTimeout(() => void this.writeNow().catch(() => undefined), this.longestWaitMs());
      }
    });
    return write;
  }

  private timedSave(): Promise<void> {
    const started = this.now();
    const written = this.save();
    this.lastSnapshotMs = this.now() - started;
    return written;
  }
}
