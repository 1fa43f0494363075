// The in-process queue's state and its SQS FIFO rules: per-group order, deduplication window,
// visibility, receive counts and redrive to the dead-letter list. No timers and no I/O here.
import { createHash, randomBytes, randomUUID } from "node:crypto";

/** SQS FIFO deduplication interval: the same id within 5 minutes of the first send is dropped. */
export const DEDUPLICATION_WINDOW_MS = 5 * 60_000;

export interface StoredMessage {
  messageId: string;
  sequenceNumber: string;
  body: string;
  groupId: string;
  deduplicationId: string;
  sentTimestamp: number;
  firstReceiveTimestamp: number | undefined;
  receiveCount: number;
  /** Epoch ms when the message may be received again. */
  visibleAt: number;
  /** The handle of the latest receive; a stale handle cannot change visibility. */
  receiptHandle: string | undefined;
  /** A consumer invocation holds it now: its group stays locked until the invocation ends. */
  inInvocation: boolean;
}

export interface DeadLetter {
  body: string;
  groupId: string;
  deduplicationId: string;
  receiveCount: number;
}

export interface QueueSnapshot {
  nextSequence: number;
  messages: StoredMessage[];
  deduplication: Array<[string, number]>;
  deadLetters: DeadLetter[];
}

/** One change to the queue, for its log (journal.ts): receive state only for `set`, never the body again. */
export type QueueChange =
  | { op: "add"; message: StoredMessage }
  | { op: "set"; message: StoredMessage }
  | { op: "del"; id: string }
  | { op: "dead"; id: string }
  /** A letter the worker sent to the dead-letter list itself (docs/delivery.md). */
  | { op: "letter"; letter: DeadLetter };

export function contentDeduplicationId(body: string): string {
  return createHash("sha256").update(body).digest("hex");
}

export class LocalQueueState {
  /** Per group, messages in send order. Map order = order in which groups first had work. */
  private readonly groups = new Map<string, StoredMessage[]>();
  private readonly deduplication: Map<string, number>;
  readonly deadLetters: DeadLetter[];
  private nextSequence: number;
  private live = 0;
  private changes: QueueChange[] = [];

  constructor(snapshot?: QueueSnapshot) {
    this.nextSequence = snapshot?.nextSequence ?? 1;
    this.deduplication = new Map(snapshot?.deduplication ?? []);
    this.deadLetters = [...(snapshot?.deadLetters ?? [])];
    for (const message of snapshot?.messages ?? []) this.groupOf(message.groupId).push(message);
    this.live = snapshot?.messages.length ?? 0;
  }

  /** A letter sent to the dead-letter list by the worker, not moved there by a redrive. */
  addDeadLetter(letter: DeadLetter): void {
    this.deadLetters.push(letter);
    this.changes.push({ op: "letter", letter });
  }

  /** The changes since the last call, in order, for the log. */
  takeChanges(): QueueChange[] {
    const changes = this.changes;
    this.changes = [];
    return changes;
  }

  /** Messages held (visible, in flight or waiting), without counting them one by one. */
  size(): number {
    return this.live;
  }

  /** False when the deduplication id was already sent within the window: accepted and dropped, like SQS. */
  add(input: { groupId: string; deduplicationId: string; body: string }, now: number): boolean {
    // Entries are in send order: stop at the first one still inside the window, so an add costs O(1) amortised.
    for (const [id, sentAt] of this.deduplication) {
      if (now - sentAt < DEDUPLICATION_WINDOW_MS) break;
      this.deduplication.delete(id);
    }
    if (this.deduplication.has(input.deduplicationId)) return false;
    this.deduplication.set(input.deduplicationId, now);
    const sequence = this.nextSequence++;
    const message: StoredMessage = {
      messageId: randomUUID(),
      sequenceNumber: String(sequence).padStart(20, "0"),
      body: input.body,
      groupId: input.groupId,
      deduplicationId: input.deduplicationId,
      sentTimestamp: now,
      firstReceiveTimestamp: undefined,
      receiveCount: 0,
      visibleAt: now,
      receiptHandle: undefined,
      inInvocation: false,
    };
    this.groupOf(input.groupId).push(message);
    this.live += 1;
    this.changes.push({ op: "add", message });
    return true;
  }

  /**
   * Receives up to `max` messages from unlocked groups, each group's in send order. A group is
   * locked while any of its messages is invisible or held by an invocation (SQS FIFO). A message
   * already received `maxReceiveCount` times goes to the dead-letter list instead (SQS redrive).
   */
  receive(options: { max: number; now: number; visibilityMs: number; maxReceiveCount: number; retentionMs: number }): {
    received: StoredMessage[];
    deadLettered: StoredMessage[];
    expired: StoredMessage[];
  } {
    const received: StoredMessage[] = [];
    const deadLettered: StoredMessage[] = [];
    const expired: StoredMessage[] = [];
    for (const messages of [...this.groups.values()]) {
      // SQS deletes a message once it is older than the retention period, wherever it stands in its group.
      // A group is in send order, so its expired messages come first.
      for (let index = 0; index < messages.length; ) {
        const message = messages[index];
        if (!message || message.sentTimestamp + options.retentionMs > options.now) break;
        if (message.inInvocation) {
          index += 1;
          continue;
        }
        this.remove(message);
        expired.push(message);
      }
      if (received.length >= options.max) break;
      if (this.isLocked(messages, options.now)) continue;
      let taken = 0;
      while (received.length < options.max) {
        const head = messages[taken];
        if (!head) break;
        if (head.receiveCount >= options.maxReceiveCount) {
          this.detach(head);
          this.changes.push({ op: "dead", id: head.messageId });
          this.deadLetters.push(toDeadLetter(head));
          deadLettered.push(head);
          continue;
        }
        head.receiveCount += 1;
        head.firstReceiveTimestamp ??= options.now;
        head.visibleAt = options.now + options.visibilityMs;
        head.receiptHandle = randomBytes(24).toString("base64url");
        head.inInvocation = true;
        this.changes.push({ op: "set", message: head });
        received.push(head);
        taken += 1;
      }
    }
    return { received, deadLettered, expired };
  }

  findByReceiptHandle(receiptHandle: string): StoredMessage | undefined {
    for (const messages of this.groups.values()) {
      const found = messages.find((m) => m.receiptHandle === receiptHandle);
      if (found) return found;
    }
    return undefined;
  }

  /** Deleted (processed, or past retention). */
  remove(message: StoredMessage): void {
    if (this.detach(message)) this.changes.push({ op: "del", id: message.messageId });
  }

  /** ChangeMessageVisibility. */
  setVisibleAt(message: StoredMessage, visibleAt: number): void {
    message.visibleAt = visibleAt;
    this.changes.push({ op: "set", message });
  }

  /** Its invocation ended without deleting it: it waits for its visibility to end. */
  release(message: StoredMessage): void {
    message.inInvocation = false;
    this.changes.push({ op: "set", message });
  }

  private detach(message: StoredMessage): boolean {
    const messages = this.groups.get(message.groupId);
    if (!messages) return false;
    const index = messages.indexOf(message);
    if (index < 0) return false;
    messages.splice(index, 1);
    this.live -= 1;
    if (messages.length === 0) this.groups.delete(message.groupId);
    return true;
  }

  /** When the earliest hidden message (not held by an invocation) becomes visible, if any. */
  nextVisibleAt(now: number): number | undefined {
    let earliest: number | undefined;
    for (const message of this.receivedMessages()) {
      if (message.inInvocation || message.visibleAt <= now) continue;
      if (earliest === undefined || message.visibleAt < earliest) earliest = message.visibleAt;
    }
    return earliest;
  }

  counts(now: number): { visible: number; inFlight: number; invisible: number; deadLetters: number } {
    let inFlight = 0;
    let invisible = 0;
    for (const message of this.receivedMessages()) {
      if (message.inInvocation) inFlight += 1;
      else if (message.visibleAt > now) invisible += 1;
    }
    return { visible: this.live - inFlight - invisible, inFlight, invisible, deadLetters: this.deadLetters.length };
  }

  isEmpty(): boolean {
    return this.groups.size === 0;
  }

  snapshot(): QueueSnapshot {
    return {
      nextSequence: this.nextSequence,
      messages: this.all().map((m) => ({ ...m })),
      deduplication: [...this.deduplication],
      deadLetters: this.deadLetters.map((d) => ({ ...d })),
    };
  }

  /**
   * Unlike SQS, a message whose visibility ends while its invocation still runs is not received
   * again until that invocation ends: a local invocation cannot be timed out, so no local duplicate.
   */
  private isLocked(messages: StoredMessage[], now: number): boolean {
    for (const message of receivedPrefix(messages)) if (message.inInvocation || message.visibleAt > now) return true;
    return false;
  }

  /**
   * Only a message received before can be in flight or hidden, and receives take each group from its front: the
   * received messages are a prefix of their group. Scanning that prefix keeps a pump's cost off the backlog's size.
   */
  private *receivedMessages(): Generator<StoredMessage> {
    for (const messages of this.groups.values()) yield* receivedPrefix(messages);
  }

  private all(): StoredMessage[] {
    return [...this.groups.values()].flat();
  }

  private groupOf(groupId: string): StoredMessage[] {
    let messages = this.groups.get(groupId);
    if (!messages) {
      messages = [];
      this.groups.set(groupId, messages);
    }
    return messages;
  }
}

function* receivedPrefix(messages: StoredMessage[]): Generator<StoredMessage> {
  for (const message of messages) {
    if (message.receiveCount === 0) return;
    yield message;
  }
}

export function toDeadLetter(message: StoredMessage): DeadLetter {
  const { body, groupId, deduplicationId, receiveCount } = message;
  return { body, groupId, deduplicationId, receiveCount };
}
