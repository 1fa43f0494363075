// The delivery worker's own records in the table (docs/delivery.md): per conversation, how far its messages were
// read (the cursor), the last status applied and the status marks Chatwoot has not taken yet; per delivery, the
// attempts made. One conversation is handled by one worker at a time (its FIFO group), so no write races another.
import type { ConversationStatus, ReplyMark } from "./vocabulary.js";

/** A `delivered` / `failed` PATCH Chatwoot did not take (5xx, timeout, 429): retried later, never by delivering again. */
export interface PendingMark {
  messageId: number;
  status: ReplyMark;
  externalError?: string;
}

export interface ConversationLedger {
  /** The newest message id the worker has finished with; undefined before the conversation's first pull. */
  cursor?: number;
  /** The last status applied, and Chatwoot's `updated_at` (unix seconds, fractional) that showed it. */
  status?: ConversationStatus;
  statusAt?: number;
  marks: PendingMark[];
}

export interface AttemptRecord {
  attempts: number;
  /** Why the latest finished attempt failed (receiver answered 503, timed out, …), and which attempt that was. */
  lastReason?: string;
  lastReasonAttempt?: number;
}

export interface DeliveryLedger {
  readConversation(conversationId: number): Promise<ConversationLedger>;
  /** Moves the cursor forward only: an older id never moves it back. */
  advanceCursor(conversationId: number, messageId: number): Promise<void>;
  recordStatus(conversationId: number, status: ConversationStatus, statusAt: number | undefined): Promise<void>;
  savePendingMark(conversationId: number, mark: PendingMark): Promise<void>;
  clearPendingMark(conversationId: number, messageId: number): Promise<void>;
  /**
   * Counts one attempt of `deliveryKey`, durably, before it is made, unless `limit` attempts were counted already;
   * returns the attempt's number, or undefined when none is left. One write: no read before it.
   */
  countAttempt(deliveryKey: string, expiresAt: number, limit: number): Promise<number | undefined>;
  readAttempts(deliveryKey: string): Promise<AttemptRecord>;
  recordAttemptFailure(deliveryKey: string, attempt: number, reason: string): Promise<void>;
}
