// Message and conversation JSON: the `_message` partial of API responses (integer message_type, unix
// created_at), Message#push_event_data, and the `_conversation` partial (CONTRACT.md §2.4, §2.5).
import { canReply, lastMessage, lastNonActivityMessage, unreadCount } from "./derived.js";
import { floatSeconds, isoTime, unixOrZero, unixSeconds } from "./time.js";
import type { Conversation, JsonObject, Message, MessageType } from "./types.js";
import { agentView, attachmentView, contactPush, contactView, userPush, type ViewContext } from "./views-records.js";

export const MESSAGE_TYPE_CODES: Record<MessageType, number> = { incoming: 0, outgoing: 1, activity: 2, template: 3 };

function senderPush(ctx: ViewContext, message: Message): JsonObject | undefined {
  if (message.senderType === "Contact") {
    const contact = ctx.state.contacts.get(message.senderId ?? -1);
    return contact === undefined ? undefined : contactPush(contact);
  }
  if (message.senderType === "User") {
    const user = ctx.state.userById(message.senderId);
    return user === undefined ? undefined : userPush(user);
  }
  return undefined;
}

function attachmentsOf(ctx: ViewContext, message: Message): JsonObject[] {
  return ctx.state.attachmentsOf(message).map((attachment) => attachmentView(ctx, attachment));
}

/** `app/views/api/v1/models/_message.json.jbuilder`: `echo_id` only when sent, `attachments` only when any. */
export function messageView(ctx: ViewContext, message: Message, echoId?: string): JsonObject {
  const conversation = ctx.state.conversationOf(message);
  const view: JsonObject = { id: message.id, content: message.content, inbox_id: message.inboxId };
  if (echoId !== undefined) view.echo_id = echoId;
  Object.assign(view, {
    conversation_id: conversation.displayId,
    message_type: MESSAGE_TYPE_CODES[message.messageType],
    content_type: message.contentType,
    status: message.status,
    content_attributes: message.contentAttributes,
    created_at: unixSeconds(message.createdAt),
    private: message.private,
    source_id: message.sourceId,
  });
  const sender = senderPush(ctx, message);
  if (sender !== undefined) view.sender = sender;
  const attachments = attachmentsOf(ctx, message);
  if (attachments.length > 0) view.attachments = attachments;
  return view;
}

/** Message#push_event_data: raw columns plus `conversation{}` and `sender{}` (nested in conversations). */
export function messagePush(ctx: ViewContext, message: Message): JsonObject {
  const conversation = ctx.state.conversationOf(message);
  const view: JsonObject = {
    id: message.id,
    content: message.content,
    account_id: message.accountId,
    inbox_id: message.inboxId,
    conversation_id: conversation.displayId,
    message_type: MESSAGE_TYPE_CODES[message.messageType],
    created_at: unixSeconds(message.createdAt),
    updated_at: isoTime(message.updatedAt),
    private: message.private,
    status: message.status,
    source_id: message.sourceId,
    content_type: message.contentType,
    content_attributes: message.contentAttributes,
    sender_type: message.senderType,
    sender_id: message.senderId,
    external_source_ids: {},
    additional_attributes: message.additionalAttributes,
    processed_message_content: message.content,
    sentiment: {},
    conversation: {
      assignee_id: conversation.assigneeId,
      unread_count: unreadCount(ctx.state, conversation),
      last_activity_at: unixSeconds(conversation.lastActivityAt),
      contact_inbox: { source_id: ctx.state.contactInboxOf(conversation).sourceId },
    },
  };
  const attachments = attachmentsOf(ctx, message);
  if (attachments.length > 0) view.attachments = attachments;
  const sender = senderPush(ctx, message);
  if (sender !== undefined) view.sender = sender;
  return view;
}

/** `app/views/api/v1/conversations/partials/_conversation.json.jbuilder`. */
export function conversationView(ctx: ViewContext, conversation: Conversation): JsonObject {
  const { state } = ctx;
  const meta: JsonObject = {
    sender: contactView(state, state.contactOf(conversation), { withContactInboxes: false }),
    channel: state.inbox.channelType,
  };
  const assignee = state.userById(conversation.assigneeId);
  if (assignee !== undefined) {
    meta.assignee = agentView(assignee, conversation.accountId);
    meta.assignee_type = "User";
  }
  meta.hmac_verified = state.contactInboxOf(conversation).hmacVerified;
  const last = lastMessage(state, conversation);
  const lastNonActivity = lastNonActivityMessage(state, conversation);
  return {
    meta,
    id: conversation.displayId,
    messages: last === undefined ? [] : [messagePush(ctx, last)],
    account_id: conversation.accountId,
    uuid: conversation.uuid,
    additional_attributes: conversation.additionalAttributes,
    agent_last_seen_at: unixOrZero(conversation.agentLastSeenAt),
    assignee_last_seen_at: unixOrZero(conversation.assigneeLastSeenAt),
    can_reply: canReply(state, conversation),
    contact_last_seen_at: unixOrZero(conversation.contactLastSeenAt),
    custom_attributes: conversation.customAttributes,
    inbox_id: conversation.inboxId,
    labels: conversation.labels,
    muted: conversation.muted,
    snoozed_until: conversation.snoozedUntil === null ? null : isoTime(conversation.snoozedUntil),
    status: conversation.status,
    created_at: unixSeconds(conversation.createdAt),
    updated_at: floatSeconds(conversation.updatedAt),
    timestamp: unixSeconds(conversation.lastActivityAt),
    first_reply_created_at: unixOrZero(conversation.firstReplyCreatedAt),
    unread_count: unreadCount(state, conversation),
    last_non_activity_message: lastNonActivity === undefined ? null : messagePush(ctx, lastNonActivity),
    last_activity_at: unixSeconds(conversation.lastActivityAt),
    priority: conversation.priority,
    waiting_since: unixOrZero(conversation.waitingSince),
    sla_policy_id: null,
  };
}
