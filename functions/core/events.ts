// POST /events (spec §3.7): the user's signals that are not new messages. Typing and "seen" go through what only the
// contact can do in Chatwoot (the Client API, CONTRACT.md §3) or the status PATCH (CONTRACT-addendum §A.4); an edit is a
// new incoming message quoting the original (Chatwoot cannot edit, §A.3); a delete is Chatwoot's soft delete.
import { BridgeError } from "./errors.js";
import { postEdit } from "./events-edit.js";
import { messageSourceId } from "./identity.js";
import type { InboundDeps } from "./inbound-deps.js";
import type { IndexedMessage, MessageIndex } from "./message-index-port.js";
import type { UserEventType } from "./vocabulary.js";

export type EventsDeps = InboundDeps & { messageIndex: MessageIndex };

export type UserEvent =
  | { type: "typing.started" | "typing.stopped"; userId: string; threadId?: string }
  | { type: "messages.read"; userId: string; threadId?: string; upTo?: number }
  | { type: "message.updated"; userId: string; messageId: string; content: string; editId: string }
  | { type: "message.deleted"; userId: string; messageId: string };

export interface EventOutcome {
  type: UserEventType;
  conversationId: number;
  /** messages.read: the agent messages marked read by the bridge (null: Chatwoot marks them all, asynchronously). */
  marked?: number | null;
  /** message.updated / message.deleted: the Chatwoot message the event made or changed. */
  chatwootMessageId?: number;
  /** message.updated: an earlier request already posted this edit. */
  duplicate?: boolean;
}

export async function handleUserEvent(deps: EventsDeps, event: UserEvent): Promise<EventOutcome> {
  switch (event.type) {
    case "typing.started":
    case "typing.stopped": {
      const { conversationId, sourceId } = await currentConversation(deps, event.userId, event.threadId);
      await deps.chatwoot.toggleContactTyping(sourceId, conversationId, event.type === "typing.started");
      return { type: event.type, conversationId };
    }
    case "messages.read": {
      const { conversationId, sourceId } = await currentConversation(deps, event.userId, event.threadId);
      if (event.upTo === undefined) {
        await deps.chatwoot.updateContactLastSeen(sourceId, conversationId);
        return { type: event.type, conversationId, marked: null };
      }
      const upTo = await deps.messageIndex.findByChatwootId(event.upTo);
      if (upTo?.conversationId !== conversationId || upTo.user)
        throw notFound("up_to", "No agent message with this id in the conversation");
      return { type: event.type, conversationId, marked: await markReadUpTo(deps, conversationId, event.upTo) };
    }
    case "message.updated": {
      const original = await userMessage(deps, event.userId, event.messageId);
      const posted = await postEdit(deps, original, event);
      return { type: event.type, conversationId: original.conversationId, ...posted };
    }
    case "message.deleted": {
      const original = await userMessage(deps, event.userId, event.messageId);
      await deps.chatwoot.deleteMessage(original.conversationId, original.chatwootMessageId);
      return {
        type: event.type,
        conversationId: original.conversationId,
        chatwootMessageId: original.chatwootMessageId,
      };
    }
  }
}

function notFound(path: string, message: string): BridgeError {
  return new BridgeError("not_found", message, { details: [{ path, message: "not found" }] });
}

/** The (user, thread)'s current conversation, or 404 naming what is unknown. */
async function currentConversation(
  deps: EventsDeps,
  userId: string,
  threadId?: string,
): Promise<{ conversationId: number; sourceId: string }> {
  const user = await deps.store.getUser(userId);
  if (!user?.mapping) throw notFound("user_id", "No mapping for this user_id");
  const record = threadId === undefined ? user : await deps.store.getUser(userId, threadId);
  if (!record?.mapping) throw notFound("thread_id", "No such thread for this user_id");
  const { conversationId, conversationUnknown, sourceId } = record.mapping;
  if (conversationId === undefined || conversationUnknown) {
    throw notFound(threadId === undefined ? "user_id" : "thread_id", "The user has no conversation in this thread yet");
  }
  return { conversationId, sourceId };
}

/** A message the user posted through the bridge, by its message_id, or 404. */
async function userMessage(deps: EventsDeps, userId: string, messageId: string): Promise<IndexedMessage> {
  const found = await deps.messageIndex.findBySourceId(messageSourceId(userId, messageId));
  if (!found?.user || found.user.userId !== userId) throw notFound("message_id", "No message with this message_id");
  return found;
}

/** Chatwoot's list: 20 messages per page, so a few pages reach back far enough for any read receipt. */
const MAX_READ_PAGES = 5;
/** API message_type integers of agent messages (CONTRACT.md §2.5): outgoing and template. */
const AGENT_TYPES = new Set([1, 3]);

/** PATCHes `read` onto the agent's public messages up to `upTo` not read yet, newest first; stops at a read page. */
async function markReadUpTo(deps: EventsDeps, conversationId: number, upTo: number): Promise<number> {
  let marked = 0;
  let before = upTo + 1;
  for (let page = 0; page < MAX_READ_PAGES; page++) {
    const messages = await deps.chatwoot.listMessageStates(conversationId, before);
    const agents = messages.filter((m) => AGENT_TYPES.has(m.messageType) && !m.private);
    for (const message of agents.filter((m) => m.status !== "read").reverse()) {
      await deps.chatwoot.markMessageRead(conversationId, message.id);
      marked += 1;
    }
    // Reads move forward: behind an agent message already read, the rest were read before.
    if (messages.length < 20 || agents.some((m) => m.status === "read")) break;
    before = Math.min(...messages.map((m) => m.id));
  }
  return marked;
}
