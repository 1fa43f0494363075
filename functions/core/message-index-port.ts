// The index "Chatwoot message id / source_id -> which message it is" (spec §3.3 `reply_to`, §3.7, §5 `reply_to`):
// Chatwoot has no lookup by source_id (CONTRACT-addendum §A.7) and a source_id cannot be turned back into a
// message_id, so the bridge records each message it posts or delivers.

/** A message of a conversation the bridge knows: a user's (posted through the bridge) or an agent's (delivered). */
export interface IndexedMessage {
  conversationId: number;
  chatwootMessageId: number;
  /** Present for a user's message: whose, under which message_id, with the source_id the bridge gave it. */
  user?: { userId: string; messageId: string; sourceId: string };
}

/**
 * One write per message: a user's message under its source_id (what a quote of it carries as
 * `in_reply_to_external_id`), an agent's under its Chatwoot id (what the user's `reply_to` and `up_to` name).
 */
export interface MessageIndex {
  /** Records the message (idempotent). */
  record(message: IndexedMessage): Promise<void>;
  /** An agent's message the bridge delivered. */
  findByChatwootId(chatwootMessageId: number): Promise<IndexedMessage | undefined>;
  /** A user's message the bridge posted. */
  findBySourceId(sourceId: string): Promise<IndexedMessage | undefined>;
}

/** The user's message_id of the quoted message of an agent reply, when it was this conversation's user's message. */
export async function quotedUserMessageId(
  index: MessageIndex,
  conversationId: number,
  quote: { chatwootMessageId: number; sourceId: string | null },
): Promise<string | undefined> {
  if (!quote.sourceId) return undefined;
  const found = await index.findBySourceId(quote.sourceId);
  // The same source_id in another conversation is not this quote's message (Chatwoot resolves within one, §A.2).
  return found?.conversationId === conversationId ? found.user?.messageId : undefined;
}
