// The queue body: its type, and its schema checked when the worker reads it. A body that is not ours is
// reported unreadable (and dead-lettered), never guessed at; fields we no longer write are dropped.
import * as z from "zod/mini";
import { type DeliveredMessage, type DeliveredSender, deliveredMessage, deliveredSender } from "./delivered-message.js";
import { CONVERSATION_STATUSES, type ConversationStatus, type DeliveryType } from "./vocabulary.js";

/** Who a conversation the bridge did not create may belong to (spec §4 "Whose conversation"). */
export interface ContactHint {
  contactId?: number;
  sourceId?: string;
  /** The contact's Chatwoot identifier: a user_id when the contact is a bridge user's. */
  identifier?: string;
  /** The conversation's status when the event was built, recorded with it. */
  status?: ConversationStatus;
}

/** Everything the worker needs, and nothing else of the webhook payload (no profile data, no pubsub_token). */
export interface QueuedDelivery {
  type: DeliveryType;
  /** `webhook-id` of the delivery: stable for one event across all attempts. */
  webhookId: string;
  conversationId: number;
  /** Chatwoot message id, for message events (the status PATCH). */
  messageId?: number;
  message?: DeliveredMessage;
  status?: ConversationStatus;
  /** Routes the event when the conversation is not mapped yet. */
  contact?: ContactHint;
  /** When the bridge received the event (ISO): the delivery's `timestamp`, the same on every attempt. */
  occurredAt: string;
  /** Where its attempts are counted, when not under `webhookId`: an agent's Retry starts fresh attempts. */
  attemptKey?: string;
  /** Chatwoot marked the reply failed (its webhook failed): if it went out after all, mark it delivered again. */
  chatwootFailed?: boolean;
  /** A quote-reply: the quoted message's source_id (`in_reply_to_external_id`), which names a user's message. */
  quotedSourceId?: string;
  /** Typing: who types (spec §5). */
  sender?: DeliveredSender;
  /** Typing: epoch seconds after which the event is dropped, never retried or dead-lettered (spec §5). */
  expiresAt?: number;
}

const text = z.string().check(z.minLength(1));
const contactHint = z.object({
  contactId: z.optional(z.number()),
  sourceId: z.optional(z.string()),
  identifier: z.optional(z.string()),
  status: z.optional(z.enum(CONVERSATION_STATUSES)),
});
const common = {
  webhookId: text,
  conversationId: z.number(),
  occurredAt: text,
  contact: z.optional(contactHint),
  attemptKey: z.optional(text),
  chatwootFailed: z.optional(z.boolean()),
};

const queuedDelivery = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("message.created"),
    ...common,
    messageId: z.number(),
    message: deliveredMessage,
    quotedSourceId: z.optional(z.string()),
  }),
  z.object({ type: z.literal("message.deleted"), ...common, messageId: z.number() }),
  z.object({
    type: z.literal("conversation.status_changed"),
    ...common,
    messageId: z.optional(z.number()),
    status: z.enum(CONVERSATION_STATUSES),
  }),
  z.object({
    type: z.literal(["typing.started", "typing.stopped"]),
    ...common,
    sender: deliveredSender,
    expiresAt: z.number(),
  }),
]);

/** The queued delivery, or undefined when the body is not JSON or not a delivery this bridge wrote. */
export function parseQueuedDelivery(body: string): QueuedDelivery | undefined {
  const parsed = queuedDelivery.safeParse(readJson(body));
  return parsed.success ? parsed.data : undefined;
}

/** A queue body's JSON, or undefined when it is not JSON. */
export function readJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}
