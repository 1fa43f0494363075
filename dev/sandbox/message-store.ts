// Writing message rows: insert (with the after-create bookkeeping every message gets) and change
// (which fires `message_updated` only when something really changed, CONTRACT.md §2.5).
import type { Core } from "./core.js";
import type { Conversation, JsonObject, Message, MessageStatus, MessageType } from "./types.js";

export interface NewMessage {
  messageType: MessageType;
  content: string | null;
  contentType?: string;
  contentAttributes?: JsonObject;
  additionalAttributes?: JsonObject;
  private?: boolean;
  sourceId?: string | null;
  senderType: "Contact" | "User" | null;
  senderId: number | null;
}

/**
 * Inserts the row and bumps `last_activity_at` (activity messages too: a resolve moves it, see the
 * resolved webhook example). Events are the caller's business.
 */
export function insertMessage(core: Core, conversation: Conversation, input: NewMessage): Message {
  const { state } = core;
  const now = state.clock();
  const message: Message = {
    id: state.nextId("message"),
    accountId: conversation.accountId,
    inboxId: conversation.inboxId,
    conversationId: conversation.id,
    messageType: input.messageType,
    content: input.content,
    contentType: input.contentType ?? "text",
    contentAttributes: input.contentAttributes ?? {},
    additionalAttributes: input.additionalAttributes ?? {},
    private: input.private ?? false,
    status: "sent",
    sourceId: input.sourceId ?? null,
    senderType: input.senderType,
    senderId: input.senderId,
    createdAt: now,
    updatedAt: now,
  };
  state.addMessage(message);
  conversation.lastActivityAt = now;
  // Message `belongs_to :conversation, touch: true` (app/models/message.rb): a new message updates the conversation,
  // which is what `updated_within` lists (CONTRACT-addendum §A.7).
  conversation.updatedAt = now;
  if (message.senderType === "Contact") {
    const contact = state.contacts.get(message.senderId ?? -1);
    if (contact !== undefined) contact.lastActivityAt = now;
  }
  return message;
}

/** Activity rows ("Conversation was marked resolved by …"): listed by the API, never webhooked. */
export function insertActivity(core: Core, conversation: Conversation, content: string): Message {
  const message = insertMessage(core, conversation, {
    messageType: "activity",
    content,
    senderType: null,
    senderId: null,
  });
  core.messageChanged(message);
  return message;
}

export interface MessageChange {
  status?: MessageStatus;
  content?: string | null;
  contentType?: string;
  contentAttributes?: JsonObject;
}

/** Applies the change; when anything differs, touches updated_at and fires `message_updated`. */
export function changeMessage(core: Core, message: Message, change: MessageChange): boolean {
  const before = JSON.stringify([message.status, message.content, message.contentType, message.contentAttributes]);
  if (change.status !== undefined) message.status = change.status;
  if (change.content !== undefined) message.content = change.content;
  if (change.contentType !== undefined) message.contentType = change.contentType;
  if (change.contentAttributes !== undefined) message.contentAttributes = change.contentAttributes;
  const after = JSON.stringify([message.status, message.content, message.contentType, message.contentAttributes]);
  if (before === after) return false;
  message.updatedAt = core.state.clock();
  core.state.conversationOf(message).updatedAt = message.updatedAt;
  core.events.emit({ event: "message_updated", messageId: message.id });
  core.messageChanged(message);
  return true;
}
