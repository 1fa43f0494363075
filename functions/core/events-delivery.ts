// What the delivery worker adds for the channel events (spec §5): typing's expiry, and the user's message_id of a
// quoted message, looked up in the message index (the webhook payload cannot say whose a quoted message was).
import { quotedUserMessageId, type MessageIndex } from "./message-index-port.js";
import type { QueuedDelivery } from "./queued-delivery.js";

/** Whether a typing event is too old to be delivered at `nowMs` (its `expiresAt` is epoch seconds). */
export function isExpired(queued: QueuedDelivery, nowMs: number): boolean {
  return queued.expiresAt !== undefined && nowMs >= queued.expiresAt * 1000;
}

/** The reply with `reply_to.message_id` set when the agent quoted one of this conversation's user's messages. */
export async function withQuotedUser(index: MessageIndex | undefined, queued: QueuedDelivery): Promise<QueuedDelivery> {
  const replyTo = queued.message?.reply_to;
  if (!index || !queued.message || !replyTo || replyTo.message_id !== null) return queued;
  const messageId = await quotedUserMessageId(index, queued.conversationId, {
    chatwootMessageId: replyTo.chatwoot_message_id,
    sourceId: queued.quotedSourceId ?? null,
  });
  if (messageId === undefined) return queued;
  return { ...queued, message: { ...queued.message, reply_to: { ...replyTo, message_id: messageId } } };
}
