// The queue body: its type, and its schema checked when the worker reads it. A body that is not ours is
// reported unreadable (and dead-lettered), never guessed at; fields we no longer write are dropped.
import * as z from "zod/mini";
import { type DeliveredMessage, deliveredMessage } from "./delivered-message.js";
import { CONVERSATION_STATUSES, type ConversationStatus, type DeliveryType } from "./vocabulary.js";

/** Everything the worker needs, and nothing else of the webhook payload (no contact data, no pubsub_token). */
export interface QueuedDelivery {
  type: DeliveryType;
  /** `webhook-id` of the delivery: stable for one event across all attempts. */
  webhookId: string;
  conversationId: number;
  /** Chatwoot message id, for message events (the status PATCH). */
  messageId?: number;
  message?: DeliveredMessage;
  status?: ConversationStatus;
  /** When the bridge received the event (ISO): the delivery's `timestamp`, the same on every attempt. */
  occurredAt: string;
}

const text = z.string().check(z.minLength(1));
const common = { webhookId: text, conversationId: z.number(), occurredAt: text };

const queuedDelivery = z.discriminatedUnion("type", [
  z.object({ type: z.literal("message.created"), ...common, messageId: z.number(), message: deliveredMessage }),
  z.object({ type: z.literal("message.deleted"), ...common, messageId: z.number() }),
  z.object({
    type: z.literal("conversation.status_changed"),
    ...common,
    messageId: z.optional(z.number()),
    status: z.enum(CONVERSATION_STATUSES),
  }),
]);

/** The queued delivery, or undefined when the body is not JSON or not a delivery this bridge wrote. */
export function parseQueuedDelivery(body: string): QueuedDelivery | undefined {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return undefined;
  }
  const parsed = queuedDelivery.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}
