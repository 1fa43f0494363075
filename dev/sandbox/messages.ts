// Message lifecycle: create (flood guard, sender rules, attachments, reopen, waiting_since, first reply,
// message_created), status update, soft delete and retry, as CONTRACT.md §2.5 and §4.5 describe.
import { extensionOf, fileTypeOf } from "./blobs.js";
import { changeStatus, updateConversation } from "./conversation-updates.js";
import type { Core } from "./core.js";
import { RecordInvalidError } from "./errors.js";
import type { MessageDraft } from "./message-draft.js";
import { changeMessage, insertMessage } from "./message-store.js";
import { MICROS_PER_SECOND } from "./time.js";
import type { Attachment, Conversation, JsonObject, Message, MessageStatus, User } from "./types.js";

/** CONVERSATION_MESSAGE_PER_MINUTE_LIMIT (lib/limits.rb). */
export const MESSAGES_PER_MINUTE_LIMIT = 200;
const STATUSES: MessageStatus[] = ["sent", "delivered", "read", "failed"];

/** Who is posting: the token's user; `system` posts templates with no sender (greeting, CSAT). */
export type Author = { user: User } | { system: true };

/** Message#prevent_message_flooding. */
function assertNotFlooding(core: Core, conversation: Conversation): void {
  const since = core.state.clock() - 60 * MICROS_PER_SECOND;
  const recent = core.state.messagesOf(conversation).filter((message) => message.createdAt >= since).length;
  if (recent >= MESSAGES_PER_MINUTE_LIMIT) throw new RecordInvalidError(["Too many messages"], ["base"]);
}

/** Outgoing messages belong to the token's user; every other type to the conversation's contact. */
function senderOf(
  draft: MessageDraft,
  conversation: Conversation,
  author: Author,
): Pick<Message, "senderType" | "senderId"> {
  if ("system" in author) return { senderType: null, senderId: null };
  if (draft.messageType === "outgoing") return { senderType: "User", senderId: author.user.id };
  return { senderType: "Contact", senderId: conversation.contactId };
}

export function createMessage(core: Core, conversation: Conversation, draft: MessageDraft, author: Author): Message {
  assertNotFlooding(core, conversation);
  const contentAttributes = resolveQuote(core, conversation, draft.contentAttributes);
  const message = insertMessage(core, conversation, {
    messageType: draft.messageType,
    content: draft.content,
    contentType: draft.contentType,
    contentAttributes,
    additionalAttributes: draft.additionalAttributes,
    private: draft.private,
    sourceId: draft.sourceId,
    ...senderOf(draft, conversation, author),
  });
  addAttachments(core, message, draft);
  if (message.messageType === "incoming") afterIncoming(core, conversation, message);
  if (isHumanReply(message)) {
    updateConversation(core, conversation, {
      firstReplyCreatedAt: conversation.firstReplyCreatedAt ?? message.createdAt,
      waitingSince: null,
    });
  }
  if (message.messageType !== "activity") core.events.emit({ event: "message_created", messageId: message.id });
  core.messageChanged(message);
  return message;
}

/**
 * Messages::InReplyToMessageBuilder (CONTRACT-addendum §A.2): `in_reply_to` by id or `in_reply_to_external_id` by
 * source_id, only within this conversation; both keys are overwritten with what was found, or null (the quote vanishes).
 */
function resolveQuote(core: Core, conversation: Conversation, attributes: JsonObject): JsonObject {
  if (!("in_reply_to" in attributes) && !("in_reply_to_external_id" in attributes)) return { ...attributes };
  const messages = core.state.messagesOf(conversation);
  const byId = Number(attributes.in_reply_to);
  const externalId = attributes.in_reply_to_external_id;
  const target =
    messages.find((m) => Number.isInteger(byId) && m.id === byId) ??
    (typeof externalId === "string" && externalId !== "" ? messages.find((m) => m.sourceId === externalId) : undefined);
  return { ...attributes, in_reply_to: target?.id ?? null, in_reply_to_external_id: target?.sourceId ?? null };
}

function addAttachments(core: Core, message: Message, draft: MessageDraft): void {
  const { state } = core;
  const base = {
    messageId: message.id,
    accountId: message.accountId,
    coordinatesLat: 0,
    coordinatesLong: 0,
    fallbackTitle: null,
    externalUrl: null,
  };
  for (const file of draft.files) {
    const attachment: Attachment = {
      ...base,
      id: state.nextId("attachment"),
      fileType: fileTypeOf(file.contentType),
      extension: extensionOf(file.filename),
      contentType: file.contentType,
      filename: file.filename,
      blobKey: core.blobs.put(file),
      byteSize: file.data.byteLength,
    };
    state.attachments.set(attachment.id, attachment);
  }
  if (draft.location !== undefined) {
    const { lat, long, title } = draft.location;
    const attachment: Attachment = {
      ...base,
      id: state.nextId("attachment"),
      fileType: "location",
      extension: null,
      contentType: null,
      filename: null,
      blobKey: null,
      byteSize: 0,
      coordinatesLat: lat,
      coordinatesLong: long,
      fallbackTitle: title,
      externalUrl: `https://maps.google.com/?q=${lat},${long}`,
    };
    state.attachments.set(attachment.id, attachment);
  }
}

/** An incoming message reopens a resolved or snoozed conversation (unless muted) and starts waiting. */
function afterIncoming(core: Core, conversation: Conversation, message: Message): void {
  const reopen = (conversation.status === "resolved" || conversation.status === "snoozed") && !conversation.muted;
  if (reopen) changeStatus(core, conversation, "open");
  if (conversation.waitingSince === null) updateConversation(core, conversation, { waitingSince: message.createdAt });
}

/** Message#human_response?: a public outgoing message written by a person. */
function isHumanReply(message: Message): boolean {
  return (
    message.messageType === "outgoing" &&
    !message.private &&
    (message.senderType === "User" || message.contentAttributes.external_echo === true)
  );
}

/**
 * Messages::StatusUpdateService: unknown statuses and read → delivered are ignored silently;
 * `external_error` is kept only with `failed` (CONTRACT.md §2.5).
 */
export function updateMessageStatus(core: Core, message: Message, requested: string, externalError?: string): boolean {
  const status = STATUSES.find((candidate) => candidate === requested);
  if (status === undefined) return false;
  if (message.status === "read" && status === "delivered") return false;
  const contentAttributes =
    status === "failed" && externalError !== undefined
      ? { ...message.contentAttributes, external_error: externalError }
      : undefined;
  return changeMessage(core, message, { status, contentAttributes });
}

/**
 * Conversations::UpdateMessageStatusJob after the Client API's update_last_seen: every non-incoming message not read
 * yet becomes `read`, each change a message_updated (CONTRACT.md §3, CONTRACT-addendum §A.4).
 */
export function markConversationRead(core: Core, conversation: Conversation): void {
  for (const message of core.state.messagesOf(conversation)) {
    if (message.messageType === "incoming" || message.messageType === "activity" || message.private) continue;
    if (message.status !== "read") updateMessageStatus(core, message, "read");
  }
}

/** Soft delete: fixed content, `content_attributes` replaced by `{deleted: true}`, attachments gone. */
export function deleteMessage(core: Core, message: Message): void {
  for (const attachment of core.state.attachmentsOf(message)) {
    if (attachment.blobKey !== null) core.blobs.delete(attachment.blobKey);
    core.state.attachments.delete(attachment.id);
  }
  changeMessage(core, message, {
    content: "This message was deleted",
    contentType: "text",
    contentAttributes: { deleted: true },
  });
}

/**
 * The agent's Retry: status back to `sent`, then `content_attributes` cleared — up to two
 * `message_updated` and no new `message_created` for API inboxes (CONTRACT.md §2.5, §4.7).
 */
export function retryMessage(core: Core, message: Message): void {
  changeMessage(core, message, { status: "sent" });
  changeMessage(core, message, { contentAttributes: {} });
}
