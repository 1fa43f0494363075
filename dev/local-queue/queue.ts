// The in-process delivery queue for the local runtime (no Lambda uses it): SQS FIFO semantics (group order,
// dedup window, visibility, receive counts, redrive) driving a Lambda-shaped consumer from timers.
import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import type { Clock, EventQueue, QueueControl, QueuedEvent } from "../../functions/core/ports.js";
import { errorFields, log as rootLog, type Logger } from "../../functions/log.js";
import { QueueJournal } from "./journal.js";
import { queueArn, toSqsEvent } from "./records.js";
import { checkRetentionSeconds, checkSqsLimits, checkVisibilitySeconds } from "./limits.js";
import { contentDeduplicationId, LocalQueueState, toDeadLetter, type DeadLetter, type StoredMessage } from "./state.js";

export type { DeadLetter } from "./state.js";
export type QueueConsumer = (event: SQSEvent) => Promise<SQSBatchResponse | undefined>;

export interface LocalQueueOptions {
  /** May be set later with setConsumer: the worker and the queue are wired in a cycle. */
  consumer?: QueueConsumer;
  visibilityTimeoutSeconds: number;
  maxReceiveCount: number;
  /** SQS MessageRetentionPeriod; default SQS's own, 4 days. An older message is deleted unreceived. */
  retentionSeconds?: number;
  batchSize?: number;
  clock?: Clock;
  persistPath?: string;
  queueName?: string;
  onDeadLetter?: (letter: DeadLetter) => void;
  log?: Logger;
}

export interface LocalQueueStats {
  visible: number;
  inFlight: number;
  invisible: number;
  deadLetters: number;
}

/** SQS's default MessageRetentionPeriod. */
const DEFAULT_RETENTION_SECONDS = 4 * 86_400;

/** Lambda polls an SQS queue with five concurrent batches at first; more groups than that take turns. */
const MAX_CONCURRENT_INVOCATIONS = 5;

export class LocalQueue implements EventQueue, QueueControl {
  private consumer: QueueConsumer | undefined;
  private readonly state: LocalQueueState;
  private readonly journal: QueueJournal | undefined;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly arn: string;
  private readonly running = new Set<Promise<void>>();
  private drainWaiters: Array<() => void> = [];
  private idleWaiters: Array<() => void> = [];
  private timer: NodeJS.Timeout | undefined;
  private pumpQueued = false;
  private closed = false;

  constructor(private readonly options: LocalQueueOptions) {
    // A queue SQS would not create is not created here either.
    checkVisibilitySeconds(options.visibilityTimeoutSeconds);
    checkRetentionSeconds(options.retentionSeconds ?? DEFAULT_RETENTION_SECONDS);
    this.consumer = options.consumer;
    this.clock = options.clock ?? { now: () => Date.now() };
    const queueName = options.queueName ?? "delivery.fifo";
    this.log = (options.log ?? rootLog).child({ queue: queueName });
    this.arn = queueArn(queueName);
    const path = options.persistPath;
    const saved = path ? QueueJournal.load(path, this.clock.now()) : undefined;
    const state = new LocalQueueState(saved?.snapshot);
    this.state = state;
    this.journal =
      path && saved
        ? new QueueJournal(
            path,
            () => state.snapshot(),
            () => state.size(),
            saved,
            (error) => this.log.error("queue.persist_failed", errorFields(error)),
          )
        : undefined;
    this.requestPump();
  }

  setConsumer(consumer: QueueConsumer): void {
    this.consumer = consumer;
    this.requestPump();
  }

  /** Durable (written to persistPath, when set) before it resolves. A duplicate within 5 minutes is dropped. */
  async enqueue(event: QueuedEvent): Promise<void> {
    if (this.closed) throw new Error("The local queue is closed");
    checkSqsLimits(event);
    const deduplicationId = event.deduplicationId === "" ? contentDeduplicationId(event.body) : event.deduplicationId;
    const added = this.state.add({ groupId: event.groupId, deduplicationId, body: event.body }, this.clock.now());
    if (!added) return;
    this.requestPump();
    await this.persist();
  }

  async setVisibility(receiptHandle: string, seconds: number): Promise<void> {
    checkVisibilitySeconds(seconds);
    const now = this.clock.now();
    const message = this.state.findByReceiptHandle(receiptHandle);
    if (!message || (!message.inInvocation && message.visibleAt <= now)) {
      throw new Error("ChangeMessageVisibility failed: the message is not in flight under this receipt handle");
    }
    this.state.setVisibleAt(message, now + seconds * 1000);
    this.persistQuietly();
    this.requestPump();
  }

  /** Resolves when no message is visible, in flight or waiting for a retry. Dead letters do not count. */
  drained(): Promise<void> {
    if (this.state.isEmpty()) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  /**
   * Resolves once no invocation is running and nothing can be received now: what is left waits for
   * its visibility to end (never while no consumer is set). Awaits "all due work done" without polling.
   */
  idle(): Promise<void> {
    const settled = new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    this.requestPump();
    return settled;
  }

  /**
   * The dead-letter queue as a producer: the worker sends what it gave up on here itself (docs/delivery.md), as it
   * does to the dead-letter SQS queue in AWS. Durable before it resolves, like enqueue.
   */
  deadLetterQueue(): EventQueue {
    return {
      enqueue: async (event) => {
        const letter: DeadLetter = {
          body: event.body,
          groupId: event.groupId,
          deduplicationId: event.deduplicationId,
          receiveCount: 0,
        };
        this.state.addDeadLetter(letter);
        this.log.warn("queue.dead_lettered", { group_id: event.groupId, sent_by: "worker" });
        this.options.onDeadLetter?.({ ...letter });
        await this.persist();
      },
    };
  }

  /** Resolves once every change so far is on disk (at once without persistPath). */
  async saved(): Promise<void> {
    await this.persist();
    await this.journal?.settled();
  }

  deadLetters(): DeadLetter[] {
    return this.state.deadLetters.map((letter) => ({ ...letter }));
  }

  stats(): LocalQueueStats {
    return this.state.counts(this.clock.now());
  }

  /** Stops receiving and waits for the invocations already running; nothing is lost (persisted, when set). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await Promise.all([...this.running]);
    // Its last changes and fsync settle first; then the fold leaves one file (what a restart reads).
    await this.saved().catch(() => undefined);
    this.journal?.close();
  }

  /** Receives on a microtask, never inside enqueue: a consumer must not run within its producer's call. */
  private requestPump(): void {
    if (this.pumpQueued) return;
    this.pumpQueued = true;
    queueMicrotask(() => {
      this.pumpQueued = false;
      this.pump();
    });
  }

  private pump(): void {
    const consumer = this.consumer;
    if (this.closed || !consumer) return;
    let changed = false;
    while (this.running.size < MAX_CONCURRENT_INVOCATIONS) {
      const { received, deadLettered, expired } = this.state.receive({
        max: this.options.batchSize ?? 10,
        now: this.clock.now(),
        visibilityMs: this.options.visibilityTimeoutSeconds * 1000,
        maxReceiveCount: this.options.maxReceiveCount,
        retentionMs: (this.options.retentionSeconds ?? DEFAULT_RETENTION_SECONDS) * 1000,
      });
      for (const message of deadLettered) this.reportDeadLetter(message);
      for (const message of expired) this.log.warn("queue.expired", { message_id: message.messageId });
      changed ||= received.length > 0 || deadLettered.length > 0 || expired.length > 0;
      if (received.length === 0) break;
      const invocation: Promise<void> = this.invoke(consumer, received).finally(() => {
        this.running.delete(invocation);
        this.requestPump();
      });
      this.running.add(invocation);
    }
    if (changed) this.persistQuietly();
    this.scheduleWake();
    this.settleWaiters();
  }

  private async invoke(consumer: QueueConsumer, messages: StoredMessage[]): Promise<void> {
    const failed = await this.runConsumer(consumer, messages);
    for (const message of messages) {
      // Not reported failed = processed: deleted, as Lambda deletes the batch's successes.
      if (failed.has(message.messageId)) this.state.release(message);
      else this.state.remove(message);
    }
    this.persistQuietly();
  }

  /** The ids to keep: those reported failed, or all when the consumer threw or answered nonsense (as Lambda does). */
  private async runConsumer(consumer: QueueConsumer, messages: StoredMessage[]): Promise<Set<string>> {
    const all = new Set(messages.map((m) => m.messageId));
    try {
      const response = await consumer(toSqsEvent(messages, this.arn));
      const ids = response?.batchItemFailures.map((failure) => failure.itemIdentifier) ?? [];
      if (ids.every((id) => all.has(id))) return new Set(ids);
      this.log.warn("queue.batch_response_invalid", { records: messages.length });
      return all;
    } catch (error) {
      this.log.warn("queue.batch_failed", { records: messages.length, ...errorFields(error) });
      return all;
    }
  }

  private reportDeadLetter(message: StoredMessage): void {
    this.log.warn("queue.dead_lettered", { message_id: message.messageId, receive_count: message.receiveCount });
    try {
      this.options.onDeadLetter?.(toDeadLetter(message));
    } catch (error) {
      this.log.error("queue.dead_letter_callback_failed", errorFields(error));
    }
  }

  /** One timer, set for the earliest hidden message: no polling while nothing can become receivable. */
  private scheduleWake(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const now = this.clock.now();
    const at = this.state.nextVisibleAt(now);
    if (at === undefined || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.pump();
    }, at - now);
    this.timer.unref();
  }

  private settleWaiters(): void {
    if (this.running.size > 0) return;
    const idle = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of idle) resolve();
    if (!this.state.isEmpty()) return;
    const drained = this.drainWaiters;
    this.drainWaiters = [];
    for (const resolve of drained) resolve();
  }

  /** On disk when it resolves (SendMessage's promise); without a file, at once. */
  private persist(): Promise<void> {
    const changes = this.state.takeChanges();
    if (!this.journal || changes.length === 0) return Promise.resolve();
    return this.journal.record(changes);
  }

  /** Memory holds the truth after receives and completions; a failed write is logged by the journal. */
  private persistQuietly(): void {
    this.persist().catch(() => undefined);
  }
}
