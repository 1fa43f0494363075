// When the sandbox writes its data file: a change marks it dirty and a save follows at most
// SAVE_DELAY_MS later, off the request path; saves run one at a time, each writing the state of its
// own moment, and close() writes the last state.

/** Coalesces a burst of changes (a benchmark's thousands of messages) into a few writes. */
export const SAVE_DELAY_MS = 200;

export class SaveSchedule {
  private timer: NodeJS.Timeout | undefined;
  private dirty = false;
  private closed = false;
  /** The latest write; rejects when it failed (the data stays dirty, so the next save retries). */
  private last: Promise<void> = Promise.resolve();
  /** The write chain, never rejected, so a failure does not block the saves after it. */
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly save: () => Promise<void>,
    private readonly delayMs = SAVE_DELAY_MS,
  ) {}

  markDirty(): void {
    if (this.closed) return;
    this.dirty = true;
    this.timer ??= setTimeout(() => void this.writeNow().catch(() => undefined), this.delayMs);
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
    const write = this.chain.then(() => this.save());
    this.last = write;
    this.chain = write.catch(() => {
      this.dirty = true;
    });
    return write;
  }
}
