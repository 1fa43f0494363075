// The DeliveryLedger in memory, behaving as the DynamoDB adapter does (the cursor only moves forward, attempts are
// counted atomically), with a failure knob: `failNext(n)` makes the next n calls throw as a store outage would.
import type {
  AttemptRecord,
  ConversationLedger,
  DeliveryLedger,
  PendingMark,
} from "../../functions/core/delivery-state-port.js";
import type { ConversationStatus } from "../../functions/core/vocabulary.js";

export class MemoryDeliveryLedger implements DeliveryLedger {
  readonly conversations = new Map<
    number,
    { cursor?: number; status?: ConversationStatus; statusAt?: number; marks: Map<number, PendingMark> }
  >();
  readonly attempts = new Map<string, AttemptRecord>();
  private failures = 0;

  failNext(calls: number): void {
    this.failures = calls;
  }

  private check(): void {
    if (this.failures <= 0) return;
    this.failures -= 1;
    throw new Error("store unavailable (test)");
  }

  private entry(conversationId: number) {
    let entry = this.conversations.get(conversationId);
    if (!entry) {
      entry = { marks: new Map() };
      this.conversations.set(conversationId, entry);
    }
    return entry;
  }

  async readConversation(conversationId: number): Promise<ConversationLedger> {
    this.check();
    const entry = this.conversations.get(conversationId);
    if (!entry) return { marks: [] };
    const { marks, ...rest } = entry;
    return { ...rest, marks: [...marks.values()].sort((a, b) => a.messageId - b.messageId) };
  }

  async advanceCursor(conversationId: number, messageId: number): Promise<void> {
    this.check();
    const entry = this.entry(conversationId);
    if (entry.cursor === undefined || entry.cursor < messageId) entry.cursor = messageId;
  }

  async recordStatus(conversationId: number, status: ConversationStatus, statusAt: number | undefined): Promise<void> {
    this.check();
    const entry = this.entry(conversationId);
    entry.status = status;
    if (statusAt !== undefined) entry.statusAt = statusAt;
  }

  async savePendingMark(conversationId: number, mark: PendingMark): Promise<void> {
    this.check();
    this.entry(conversationId).marks.set(mark.messageId, mark);
  }

  async clearPendingMark(conversationId: number, messageId: number): Promise<void> {
    this.check();
    this.entry(conversationId).marks.delete(messageId);
  }

  async countAttempt(
    deliveryKey: string,
    _expiresAt = 0,
    limit = Number.POSITIVE_INFINITY,
  ): Promise<number | undefined> {
    this.check();
    const record = this.attempts.get(deliveryKey) ?? { attempts: 0 };
    if (record.attempts >= limit) return undefined;
    const next = { ...record, attempts: record.attempts + 1 };
    this.attempts.set(deliveryKey, next);
    return next.attempts;
  }

  async readAttempts(deliveryKey: string): Promise<AttemptRecord> {
    this.check();
    return { ...(this.attempts.get(deliveryKey) ?? { attempts: 0 }) };
  }

  async recordAttemptFailure(deliveryKey: string, attempt: number, reason: string): Promise<void> {
    this.check();
    const record = this.attempts.get(deliveryKey) ?? { attempts: 0 };
    this.attempts.set(deliveryKey, { ...record, lastReason: reason, lastReasonAttempt: attempt });
  }
}
