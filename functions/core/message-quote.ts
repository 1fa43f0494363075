// `reply_to` of POST /messages (spec §3.3): the quoted message must be one of the conversation the message goes to,
// found in the bridge's message index before anything is written. Chatwoot resolves `in_reply_to` only within the same
// conversation and silently drops what it cannot find (CONTRACT-addendum §A.2), so a quote it would drop is refused.
import { BridgeError } from "./errors.js";
import { messageSourceId } from "./identity.js";
import type { InboundDeps } from "./inbound-deps.js";
import type { IndexedMessage, MessageIndex } from "./message-index-port.js";

/** A user's own message by its message_id, or an agent's message by the Chatwoot id it was delivered with. */
export type ReplyTo = { messageId: string } | { chatwootMessageId: number };

/** The content_attributes that make Chatwoot show the quote, by Chatwoot id (and by source_id for a user's message). */
export function quoteAttributes(quoted: IndexedMessage): Record<string, unknown> {
  return {
    in_reply_to: quoted.chatwootMessageId,
    ...(quoted.user ? { in_reply_to_external_id: quoted.user.sourceId } : {}),
  };
}

/** The quoted message, or 400 validation_failed naming `reply_to` when it is no message of the user's conversation. */
export async function resolveQuote(
  deps: Pick<InboundDeps, "store" | "config"> & { messageIndex: MessageIndex },
  input: { userId: string; threadId?: string; replyTo: ReplyTo },
): Promise<IndexedMessage> {
  const { replyTo, userId } = input;
  const field = "messageId" in replyTo ? "reply_to.message_id" : "reply_to.chatwoot_message_id";
  const refuse = (why: string) =>
    new BridgeError("validation_failed", `reply_to names no message of this conversation: ${why}`, {
      details: [{ path: field, message: why }],
    });
  const mapping = (await deps.store.getUser(userId, input.threadId))?.mapping;
  const conversationId = mapping?.conversationUnknown ? undefined : mapping?.conversationId;
  if (conversationId === undefined) throw refuse("the user has no conversation yet");
  // A resolved conversation is replaced by this message (CONVERSATION_AFTER_RESOLVED=new): the quote would be dropped.
  if (mapping?.conversationStatus === "resolved" && deps.config.conversationAfterResolved === "new") {
    throw refuse("the conversation it belongs to is resolved, so this message opens a new one");
  }
  const quoted =
    "messageId" in replyTo
      ? await deps.messageIndex.findBySourceId(messageSourceId(userId, replyTo.messageId))
      : await deps.messageIndex.findByChatwootId(replyTo.chatwootMessageId);
  if (quoted === undefined || quoted.conversationId !== conversationId) throw refuse("not found in the conversation");
  return quoted;
}
