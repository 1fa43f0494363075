// Webhook payloads (CONTRACT.md §4.4): Message#webhook_data with string message_type and ISO created_at,
// Conversations::EventDataPresenter#webhook_data with the raw contact_inbox and a float updated_at.
import { canReply, lastPublicMessage, unreadCount } from "./derived.js";
import { floatSeconds, isoOrNull, isoTime, unixOrZero, unixSeconds } from "./time.js";
import type { Conversation, JsonObject, Message } from "./types.js";
import { messagePush } from "./views-api.js";
import {
  accountRef,
  contactInboxRaw,
  contactPush,
  contactWebhook,
  userPush,
  userWebhook,
  attachmentView,
  type ViewContext,
} from "./views-records.js";

/** app/services/messages/webhook_content_normalizer.rb: no hard-break backslashes, no trailing newlines. */
export function normaliseWebhookContent(content: string | null): string | null {
  if (content === null) return null;
  return content.replace(/\\(\r?\n)/g, "$1").replace(/[\r\n]+$/, "");
}

export function conversationWebhook(ctx: ViewContext, conversation: Conversation): JsonObject {
  const { state } = ctx;
  const latest = lastPublicMessage(state, conversation);
  const assignee = state.userById(conversation.assigneeId);
  return {
    additional_attributes: conversation.additionalAttributes,
    can_reply: canReply(state, conversation),
    channel: state.inbox.channelType,
    contact_inbox: contactInboxRaw(state.contactInboxOf(conversation)),
    id: conversation.displayId,
    inbox_id: conversation.inboxId,
    messages: latest === undefined ? [] : [messagePush(ctx, latest)],
    labels: conversation.labels,
    meta: {
      sender: contactPush(state.contactOf(conversation)),
      assignee: assignee === undefined ? null : userPush(assignee),
      assignee_type: assignee === undefined ? null : "User",
      team: null,
      hmac_verified: state.contactInboxOf(conversation).hmacVerified,
    },
    status: conversation.status,
    custom_attributes: conversation.customAttributes,
    snoozed_until: isoOrNull(conversation.snoozedUntil),
    unread_count: unreadCount(state, conversation),
    first_reply_created_at: isoOrNull(conversation.firstReplyCreatedAt),
    priority: conversation.priority,
    waiting_since: unixOrZero(conversation.waitingSince),
    agent_last_seen_at: unixOrZero(conversation.agentLastSeenAt),
    contact_last_seen_at: unixOrZero(conversation.contactLastSeenAt),
    last_activity_at: unixSeconds(conversation.lastActivityAt),
    timestamp: unixSeconds(conversation.lastActivityAt),
    created_at: unixSeconds(conversation.createdAt),
    updated_at: floatSeconds(conversation.updatedAt),
    account: accountRef(state.account),
  };
}

function senderWebhook(ctx: ViewContext, message: Message): JsonObject | null {
  if (message.senderType === "Contact") {
    const contact = ctx.state.contacts.get(message.senderId ?? -1);
    return contact === undefined ? null : contactWebhook(contact, ctx.state.account);
  }
  const user = message.senderType === "User" ? ctx.state.userById(message.senderId) : undefined;
  return user === undefined ? null : userWebhook(user);
}

/** Message#webhook_data + event. No `status`, `echo_id`, `sender_type` or `updated_at` (§4.4). */
export function messageWebhook(ctx: ViewContext, message: Message, event: string): JsonObject {
  const { state } = ctx;
  const payload: JsonObject = {
    account: accountRef(state.account),
    additional_attributes: message.additionalAttributes,
    content_attributes: message.contentAttributes,
    content_type: message.contentType,
    content: normaliseWebhookContent(message.content),
    conversation: conversationWebhook(ctx, state.conversationOf(message)),
    created_at: isoTime(message.createdAt),
    id: message.id,
    inbox: { id: state.inbox.id, name: state.inbox.name },
    message_type: message.messageType,
    private: message.private,
    sender: senderWebhook(ctx, message),
    source_id: message.sourceId,
  };
  const attachments = state.attachmentsOf(message).map((attachment) => attachmentView(ctx, attachment));
  if (attachments.length > 0) payload.attachments = attachments;
  payload.event = event;
  return payload;
}

export interface ChangedAttribute {
  [attribute: string]: { previous_value: unknown; current_value: unknown };
}

/** conversation_created / _status_changed (`changed_attributes: null`, §4.4) / _updated. */
export function conversationEventWebhook(
  ctx: ViewContext,
  conversation: Conversation,
  event: string,
  changedAttributes?: ChangedAttribute[] | null,
): JsonObject {
  const payload: JsonObject = { ...conversationWebhook(ctx, conversation), event };
  if (changedAttributes !== undefined) payload.changed_attributes = changedAttributes;
  return payload;
}

export function typingWebhook(
  ctx: ViewContext,
  conversation: Conversation,
  event: string,
  userId: number,
  isPrivate: unknown,
  contactId?: number,
): JsonObject {
  const user = ctx.state.userById(userId);
  const contact = contactId === undefined ? undefined : ctx.state.contacts.get(contactId);
  // A contact's webhook_data has no `type` key (CONTRACT-addendum §A.4); a user's says "user".
  const typist =
    contact !== undefined ? contactWebhook(contact, ctx.state.account) : user === undefined ? null : userWebhook(user);
  return {
    event,
    user: typist,
    conversation: conversationWebhook(ctx, conversation),
    is_private: isPrivate,
  };
}
