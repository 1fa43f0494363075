// An EventQueue that keeps what was enqueued, in order, with a knob to fail the next sends (SQS down).
import type { EventQueue, QueuedEvent } from "../../functions/core/ports.js";

export class RecordingQueue implements EventQueue {
  readonly records: QueuedEvent[] = [];
  private failures = 0;

  failNext(times = 1): void {
    this.failures += times;
  }

  async enqueue(event: QueuedEvent): Promise<void> {
    await Promise.resolve();
    if (this.failures > 0) {
      this.failures -= 1;
      throw new Error("queue unavailable");
    }
    this.records.push(event);
  }

  /** The conversation ids signalled, in order. */
  conversationIds(): number[] {
    return this.records.map((r) => (JSON.parse(r.body) as { conversationId: number }).conversationId);
  }
}
