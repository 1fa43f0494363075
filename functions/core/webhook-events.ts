// classifyWebhook(): which Chatwoot events become deliveries (spec §4, CONTRACT.md §4.5, §6). Pure: no deps, no I/O.
import { createHash } from "node:crypto";
import type { DeliveredAttachment, DeliveredMessage } from "./delivered-message.js";
import { isBridgeFailureReason } from "./own-failures.js";
import { CONVERSATION_CHANGED, type ConversationSignal } from "./conversation-signal.js";
import type { ContactHint, QueuedDelivery } from "./queued-delivery.js";
import { classifyTyping } from "./events-typing.js";
import { messageExtras, quoteTarget } from "./message-extras.js";

/** What a webhook becomes on the queue: a "conversation changed" signal, or one event delivered on its own. */
export type WebhookRecord = ConversationSignal | QueuedDelivery;
import { AGENT_MESSAGE_TYPES } from "./vocabulary.js";
import { toAttachment, toSender } from "./message-parts.js";
import { type WebhookPayload, webhookPayload } from "./webhook-payload.js";

export type { QueuedDelivery } from "./queued-delivery.js";
export type { DeliveryType } from "./vocabulary.js";

export type Classified =
  | { action: "enqueue"; delivery: WebhookRecord; groupId: string; deduplicationId: string }
  | { action: "ignore"; reason: string };

/** The bridge's own inbox and account: events naming others are never delivered (spec §4). */
export interface WebhookScope {
  inboxId: number;
  accountId: number;
}

export function classifyWebhook(payload: unknown, receivedAt: Date, scope?: WebhookScope): Classified {
  const occurredAt = receivedAt.toISOString();
  const parsed = webhookPayload.safeParse(payload);
  if (!parsed.success) return ignore("not an object");
  const outside = scope && outsideScope(parsed.data, scope);
  if (outside) return ignore(outside);
  const classified = classifyEvent(parsed.data, payload, occurredAt, receivedAt);
  if (classified.action === "ignore") return classified;
  // Only a reply routes by contact (conversation-owner.ts): a deletion needs no owner it does not have already.
  const contact = classified.delivery.type !== "message.deleted" ? contactHint(parsed.data) : undefined;
  if (!contact) return classified;
  if (classified.delivery.type !== CONVERSATION_CHANGED) {
    return { ...classified, delivery: { ...classified.delivery, contact } };
  }
  const { contactId, sourceId, identifier } = contact;
  const signalContact = {
    ...(contactId !== undefined ? { contactId } : {}),
    ...(sourceId !== undefined ? { sourceId } : {}),
    ...(identifier !== undefined ? { identifier } : {}),
  };
  return { ...classified, delivery: { ...classified.delivery, contact: signalContact } };
}

function classifyEvent(payload: WebhookPayload, raw: unknown, occurredAt: string, receivedAt: Date): Classified {
  switch (payload.event) {
    case "message_created":
      return classifyMessageCreated(payload, occurredAt);
    case "message_updated":
      return classifyMessageUpdated(payload, raw, occurredAt);
    case "conversation_status_changed":
      return classifyStatusChanged(payload, occurredAt);
    case "conversation_typing_on":
    case "conversation_typing_off":
      return classifyTyping(payload, raw, receivedAt);
    default:
      return ignore("event not delivered");
  }
}

/** A reason when the event names another inbox or account; an event that names neither is taken as ours. */
function outsideScope(payload: WebhookPayload, scope: WebhookScope): string | undefined {
  const inboxId = payload.inbox?.id ?? payload.inbox_id ?? payload.conversation?.inbox_id;
  if (inboxId !== undefined && inboxId !== scope.inboxId) return "another inbox";
  const accountId = payload.account?.id;
  if (accountId !== undefined && accountId !== scope.accountId) return "another account";
  return undefined;
}

/** Message events carry the conversation, conversation events are it (CONTRACT.md §4.4). */
function contactHint(payload: WebhookPayload): ContactHint | undefined {
  const conversation = payload.conversation ?? payload;
  const sender = conversation.meta?.sender;
  const hint: ContactHint = {
    ...(sender?.id !== undefined ? { contactId: sender.id } : {}),
    ...(conversation.contact_inbox?.source_id ? { sourceId: conversation.contact_inbox.source_id } : {}),
    ...(sender?.identifier ? { identifier: sender.identifier } : {}),
    ...(conversation.status ? { status: conversation.status } : {}),
  };
  return Object.keys(hint).length > 0 ? hint : undefined;
}

function ignore(reason: string): Classified {
  return { action: "ignore", reason };
}

function enqueue(delivery: WebhookRecord, deduplicationId: string): Classified {
  return { action: "enqueue", delivery, groupId: `conversation-${delivery.conversationId}`, deduplicationId };
}

/** An agent reply: public, outgoing or template, authored in Chatwoot (the bridge's own messages carry a source_id). */
function agentReply(
  payload: WebhookPayload,
): { conversationId: number; message: DeliveredMessage; quoted: { quotedSourceId?: string } } | string {
  const messageType = AGENT_MESSAGE_TYPES.find((type) => type === payload.message_type);
  if (messageType === undefined) return "not an agent reply";
  if (payload.private !== false) return "private note";
  if (payload.source_id) return "echo of a message created through the API";
  if (payload.content_attributes?.deleted === true) return "deleted";
  const id = payload.id;
  const conversationId = payload.conversation?.id;
  if (id === undefined || conversationId === undefined) return "malformed message event";
  const attachments = (payload.attachments ?? [])
    .map(toAttachment)
    .filter((a): a is DeliveredAttachment => a !== undefined);
  const contentType = payload.content_type ?? "text";
  const message: DeliveredMessage = {
    id,
    content: payload.content ?? null,
    content_type: contentType,
    message_type: messageType,
    attachments,
    sender: messageType === "template" ? null : toSender(payload.sender),
    created_at: payload.created_at ?? new Date(0).toISOString(),
    // The quote's message_id is the worker's to find (message-index-port.ts): the payload cannot say whose it was.
    ...messageExtras(contentType, payload.content_attributes),
  };
  // The quoted message's source_id names a user's message: the worker turns it into the user's message_id.
  const quotedSourceId = quoteTarget(payload.content_attributes)?.sourceId;
  return { conversationId, message, quoted: quotedSourceId ? { quotedSourceId } : {} };
}

/**
 * An agent reply only says "this conversation changed": the worker reads the messages after its cursor from Chatwoot
 * and delivers them in message-id order, whatever order the webhooks arrive in (spec §5, CONTRACT-addendum.md §A.6).
 */
function classifyMessageCreated(payload: WebhookPayload, occurredAt: string): Classified {
  const reply = agentReply(payload);
  if (typeof reply === "string") return ignore(reply);
  const { conversationId, message } = reply;
  const signal: ConversationSignal = {
    type: CONVERSATION_CHANGED,
    conversationId,
    occurredAt,
    origin: "webhook",
    messageId: message.id,
    ...statusSeen(payload.conversation?.status, payload.conversation?.updated_at),
  };
  return enqueue(signal, `message-${message.id}`);
}

/** The conversation's status as this payload showed it, and when (Chatwoot's `updated_at`, CONTRACT.md §4.4). */
function statusSeen(status: ConversationSignal["status"], updatedAt: number | undefined): Partial<ConversationSignal> {
  if (status === undefined) return {};
  return updatedAt === undefined ? { status } : { status, statusAt: updatedAt };
}

/** `raw` is the payload as received: its fingerprint tells one re-announcement of a message from another. */
function classifyMessageUpdated(payload: WebhookPayload, raw: unknown, occurredAt: string): Classified {
  const id = payload.id;
  const conversationId = payload.conversation?.id;
  if (id === undefined || conversationId === undefined) return ignore("malformed message event");
  const attributes = payload.content_attributes ?? {};
  if (attributes.deleted === true) {
    if (payload.private !== false) return ignore("private note deleted");
    // Only the bridge posts incoming messages: their deletion is its own (POST /events message.deleted), never news.
    if (payload.message_type === "incoming") return ignore("deletion of a user's message");
    return enqueue(
      { type: "message.deleted", webhookId: `msg_${id}_deleted`, conversationId, messageId: id, occurredAt },
      `deleted-${id}`,
    );
  }
  // Our own failure marking is no delivery request. Chatwoot's (its webhook to us failed or was slow, CONTRACT.md
  // §4.3) is: the reply is delivered if it never was, and marked delivered again if it was (docs/delivery.md).
  if (isBridgeFailureReason(attributes.external_error)) return ignore("failure marking");
  const chatwootFailed = attributes.external_error !== undefined;
  const reply = agentReply(payload);
  if (typeof reply === "string") return ignore(reply);
  const latest = payload.conversation?.messages?.[0];
  const status = latest?.id === id ? latest.status : undefined;
  if (status === "delivered" || status === "read") return ignore("already delivered");
  // An agent pressed Retry (or Chatwoot re-announced the message): queued like the first announcement, and the
  // worker's delivered marker skips it if it already went out.
  const fingerprint = createHash("sha256").update(JSON.stringify(raw)).digest("hex").slice(0, 32);
  return enqueue(
    {
      type: "message.created",
      webhookId: `msg_${id}`,
      conversationId,
      messageId: id,
      message: reply.message,
      occurredAt,
      attemptKey: `redeliver-${id}-${fingerprint}`,
      ...(chatwootFailed ? { chatwootFailed } : {}),
      ...reply.quoted,
    },
    `redeliver-${id}-${fingerprint}`,
  );
}

/** The worker applies the status only when it is newer than the last one applied, so a late webhook changes nothing. */
function classifyStatusChanged(payload: WebhookPayload, occurredAt: string): Classified {
  const conversationId = payload.id;
  const status = payload.status;
  if (conversationId === undefined || !status) return ignore("malformed conversation event");
  // changed_attributes is always null here (CONTRACT.md §4.4): `status` and `updated_at` identify the change.
  const version = String(payload.updated_at ?? payload.timestamp ?? 0);
  const deduplicationId = `conv_${conversationId}_${status}_${version.replace(/\D/g, "")}`;
  const signal: ConversationSignal = {
    type: CONVERSATION_CHANGED,
    conversationId,
    occurredAt,
    origin: "webhook",
    ...statusSeen(status, payload.updated_at),
  };
  return enqueue(signal, deduplicationId);
}
