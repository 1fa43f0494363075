// "Conversation N changed": the queue record by which a webhook or the catch-up sweep asks the delivery worker to
// read the conversation's messages after its cursor from Chatwoot and deliver them in message order (spec §5, §7).
// The signal carries no message content: Chatwoot is the source of truth, read when the worker runs.
import * as z from "zod/mini";
import type { QueuedEvent } from "./ports.js";
import { CONVERSATION_STATUSES, type ConversationStatus } from "./vocabulary.js";

export const CONVERSATION_CHANGED = "conversation.changed";

/** Who may own a conversation the bridge did not create (spec §4 "Whose conversation"), as the event showed it. */
export interface SignalContact {
  contactId?: number;
  sourceId?: string;
  identifier?: string;
}

export interface ConversationSignal {
  type: typeof CONVERSATION_CHANGED;
  conversationId: number;
  /** When the bridge learnt of the change (ISO). */
  occurredAt: string;
  /** What told us: a webhook, or the sweep (which finds what webhooks lost). */
  origin: "webhook" | "sweep";
  /** Chatwoot's status as the event or the listing showed it, when known. */
  status?: ConversationStatus;
  /**
   * Chatwoot's `updated_at` of the conversation when it showed `status` (unix seconds, fractional). The worker applies
   * a status only with it, and only when newer than the last one applied: webhooks arrive in any order (§A.6).
   */
  statusAt?: number;
  /** The message that prompted the signal: a conversation without a cursor is read from just before it. */
  messageId?: number;
  contact?: SignalContact;
}

export const conversationSignal = z.object({
  type: z.literal(CONVERSATION_CHANGED),
  conversationId: z.number(),
  occurredAt: z.string().check(z.minLength(1)),
  origin: z.enum(["webhook", "sweep"]),
  status: z.optional(z.enum(CONVERSATION_STATUSES)),
  statusAt: z.optional(z.number()),
  messageId: z.optional(z.number()),
  contact: z.optional(
    z.object({
      contactId: z.optional(z.number()),
      sourceId: z.optional(z.string()),
      identifier: z.optional(z.string()),
    }),
  ),
});

/** One conversation's records share a FIFO group, so the worker never reads one conversation twice at once. */
export function conversationGroup(conversationId: number): string {
  return `conversation-${conversationId}`;
}

/** The queue record for `signal`; `deduplicationId` names what changed, so a repeat of the same change is dropped. */
export function signalRecord(signal: ConversationSignal, deduplicationId: string): QueuedEvent {
  return { groupId: conversationGroup(signal.conversationId), deduplicationId, body: JSON.stringify(signal) };
}
