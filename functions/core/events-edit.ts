// message.updated (spec §3.7): Chatwoot cannot edit a message (CONTRACT-addendum §A.3), so the new text is posted as a
// new incoming message in the original's conversation, quoting it and marked `edited: true`. Each (message_id, edit_id)
// is claimed like a message_id, so an edit sent twice is posted once and the same edit_id with other text is a 409.
import { fingerprint, messageSourceId } from "./identity.js";
import { claimMessage, completeClaim, releaseClaim } from "./message-claims.js";
import type { EventsDeps } from "./events.js";
import { findMessageBySourceId } from "./message-lookup.js";
import type { IndexedMessage } from "./message-index-port.js";
import { quoteAttributes } from "./message-quote.js";

/** Edits are remembered as long as message_ids (spec §8). */
const EDIT_TTL_SECONDS = 30 * 24 * 3600;

/**
 * The idempotency key of an edit: a control character starts it, which no client message_id may hold (external-id.ts),
 * so it never meets a real message_id in the same records.
 */
export function editKey(messageId: string, editId: string): string {
  return `\u0001edit${JSON.stringify([messageId, editId])}`;
}

export async function postEdit(
  deps: EventsDeps,
  original: IndexedMessage,
  edit: { userId: string; messageId: string; content: string; editId: string },
): Promise<{ chatwootMessageId: number; duplicate: boolean }> {
  const key = editKey(edit.messageId, edit.editId);
  const claim = await claimMessage(
    deps,
    { userId: edit.userId, messageId: key },
    fingerprint(edit.content),
    EDIT_TTL_SECONDS,
  );
  if (claim.kind === "duplicate") return { chatwootMessageId: claim.result.chatwootMessageId, duplicate: true };
  const { held } = claim;
  const sourceId = messageSourceId(edit.userId, key);
  const { conversationId } = original;
  try {
    // A retry after an unknown outcome looks for the earlier attempt's message before posting again.
    const found = held.recover ? await findMessageBySourceId(deps.chatwoot, conversationId, sourceId) : undefined;
    const chatwootMessageId =
      found ??
      (
        await deps.chatwoot.createMessage(conversationId, {
          content: edit.content,
          sourceId,
          contentAttributes: { ...quoteAttributes(original), edited: true },
        })
      ).messageId;
    // An agent quoting the edited text quotes the user's message: the index names the original message_id.
    await deps.messageIndex.record({
      conversationId,
      chatwootMessageId,
      user: { userId: edit.userId, messageId: edit.messageId, sourceId },
    });
    const mapping = (await deps.store.getUser(edit.userId))?.mapping;
    await completeClaim(deps, held, {
      messageId: key,
      chatwootMessageId,
      conversationId,
      contactId: mapping?.contactId ?? 0,
      sourceId: mapping?.sourceId ?? "",
    });
    return { chatwootMessageId, duplicate: found !== undefined };
  } catch (error) {
    await releaseClaim(deps, held, error);
    throw error;
  }
}
