// Stand-in consumers for the in-process queue's tests: a scripted worker that answers per record
// as the delivery worker does, and a consumer whose invocations stay in flight until released.
import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import type { QueueControl } from "../../functions/core/ports.js";

/** Things that happened, handed out oldest first, each once; next() waits when none is left. */
export class Arrivals<T> {
  private readonly items: T[] = [];
  private cursor = 0;
  private waiters: Array<(item: T) => void> = [];

  push(item: T): void {
    this.items.push(item);
    const waiter = this.waiters.shift();
    if (waiter) waiter(this.take());
  }

  next(): Promise<T> {
    if (this.cursor < this.items.length) return Promise.resolve(this.take());
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private take(): T {
    const item = this.items[this.cursor++];
    if (item === undefined) throw new Error("nothing arrived");
    return item;
  }
}

/** ok; fail (hidden until the visibility timeout ends); retry after a delay set with setVisibility; or throw the batch. */
export type Outcome = "ok" | "fail" | "throw" | { retryInSeconds: number };

export interface SeenRecord {
  body: string;
  receiveCount: number;
}

/** Like the delivery worker: after a record of a group fails, that group's later records are reported failed and released at once. */
export class ScriptedWorker {
  readonly batches: SeenRecord[][] = [];
  readonly events: SQSEvent[] = [];
  control: QueueControl | undefined;

  constructor(private readonly outcome: (body: string, receiveCount: number) => Outcome = () => "ok") {}

  readonly consumer = async (event: SQSEvent): Promise<SQSBatchResponse> => {
    this.events.push(event);
    this.batches.push(
      event.Records.map((r) => ({ body: r.body, receiveCount: Number(r.attributes.ApproximateReceiveCount) })),
    );
    const failures: string[] = [];
    const failedGroups = new Set<string>();
    for (const record of event.Records) {
      const group = record.attributes.MessageGroupId ?? "";
      if (failedGroups.has(group)) {
        failures.push(record.messageId);
        await this.control?.setVisibility(record.receiptHandle, 0);
        continue;
      }
      const result = this.outcome(record.body, Number(record.attributes.ApproximateReceiveCount));
      if (result === "ok") continue;
      if (result === "throw") throw new Error("worker crashed");
      failures.push(record.messageId);
      failedGroups.add(group);
      if (result !== "fail") await this.control?.setVisibility(record.receiptHandle, result.retryInSeconds);
    }
    return { batchItemFailures: failures.map((itemIdentifier) => ({ itemIdentifier })) };
  };

  bodies(): string[][] {
    return this.batches.map((batch) => batch.map((r) => r.body));
  }
}

/** A consumer whose invocations stay in flight until the test releases them. */
export class HeldConsumer {
  readonly invocations: string[][] = [];
  private readonly pending = new Map<number, () => void>();
  private readonly arrivals = new Arrivals<string[]>();

  readonly consumer = (event: SQSEvent): Promise<undefined> => {
    const bodies = event.Records.map((r) => r.body);
    const index = this.invocations.push(bodies) - 1;
    this.arrivals.push(bodies);
    return new Promise((resolve) => this.pending.set(index, () => resolve(undefined)));
  };

  /** The oldest invocation no earlier call returned (started, not finished). */
  next(): Promise<string[]> {
    return this.arrivals.next();
  }

  release(index: number): void {
    this.pending.get(index)?.();
    this.pending.delete(index);
  }

  releaseAll(): void {
    for (const index of [...this.pending.keys()]) this.release(index);
  }
}
