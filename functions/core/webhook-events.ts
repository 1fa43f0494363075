// classifyWebhook(): which Chatwoot events become deliveries (spec §4, CONTRACT.md §4.5, §6). Pure: no deps, no I/O.
import { createHash } from "node:crypto";
import type { ConversationStatus } from "./ports.js";
import {
  isObject,
  num,
  obj,
  str,
  toAttachment,
  toSender,
  type DeliveredAttachment,
  type DeliveredMessage,
} from "./webhook-payload.js";

export type DeliveryType = "message.created" | "message.deleted" | "conversation.status_changed";

/** The queue body: everything the worker needs, and nothing else of the payload (no contact data, no pubsub_token). */
export interface QueuedDelivery {
  type: DeliveryType;
  /** `webhook-id` of the delivery: stable for one event across all attempts. */
  webhookId: string;
  conversationId: number;
  /** Chatwoot message id, for message events (the status PATCH). */
  messageId?: number;
  message?: DeliveredMessage;
  status?: ConversationStatus;
  /** An agent pressed Retry (or Chatwoot re-announced the message): deliver unless already delivered. */
  redelivery?: boolean;
  /** When the bridge received the event (ISO): the delivery's `timestamp`, the same on every attempt. */
  occurredAt: string;
}

export type Classified =
  | { action: "enqueue"; delivery: QueuedDelivery; groupId: string; deduplicationId: string }
  | { action: "ignore"; reason: string };

const STATUSES: ConversationStatus[] = ["open", "resolved", "pending", "snoozed"];

export function classifyWebhook(payload: unknown, receivedAt: Date): Classified {
  const occurredAt = receivedAt.toISOString();
  if (!isObject(payload)) return ignore("not an object");
  switch (str(payload, "event")) {
    case "message_created":
      return classifyMessageCreated(payload, occurredAt);
    case "message_updated":
      return classifyMessageUpdated(payload, occurredAt);
    case "conversation_status_changed":
      return classifyStatusChanged(payload, occurredAt);
    default:
      return ignore("event not delivered");
  }
}

function ignore(reason: string): Classified {
  return { action: "ignore", reason };
}

function enqueue(delivery: QueuedDelivery, deduplicationId: string): Classified {
  return { action: "enqueue", delivery, groupId: `conversation-${delivery.conversationId}`, deduplicationId };
}

/** An agent reply: public, outgoing or template, authored in Chatwoot (the bridge's own messages carry a source_id). */
function agentReply(payload: Record<string, unknown>): { conversationId: number; message: DeliveredMessage } | string {
  const messageType = str(payload, "message_type");
  if (messageType !== "outgoing" && messageType !== "template") return "not an agent reply";
  if (payload.private !== false) return "private note";
  if (str(payload, "source_id")) return "echo of a message created through the API";
  if (obj(payload, "content_attributes")?.deleted === true) return "deleted";
  const id = num(payload, "id");
  const conversationId = num(obj(payload, "conversation"), "id");
  if (id === undefined || conversationId === undefined) return "malformed message event";
  const attachments = Array.isArray(payload.attachments)
    ? payload.attachments.map(toAttachment).filter((a): a is DeliveredAttachment => a !== undefined)
    : [];
  const message: DeliveredMessage = {
    id,
    content: str(payload, "content") ?? null,
    content_type: str(payload, "content_type") ?? "text",
    message_type: messageType,
    attachments,
    sender: messageType === "template" ? null : toSender(payload.sender),
    created_at: str(payload, "created_at") ?? new Date(0).toISOString(),
  };
  return { conversationId, message };
}

function classifyMessageCreated(payload: Record<string, unknown>, occurredAt: string): Classified {
  const reply = agentReply(payload);
  if (typeof reply === "string") return ignore(reply);
  const { conversationId, message } = reply;
  return enqueue(
    {
      type: "message.created",
      webhookId: `msg_${message.id}`,
      conversationId,
      messageId: message.id,
      message,
      occurredAt,
    },
    `message-${message.id}`,
  );
}

function classifyMessageUpdated(payload: Record<string, unknown>, occurredAt: string): Classified {
  const id = num(payload, "id");
  const conversationId = num(obj(payload, "conversation"), "id");
  if (id === undefined || conversationId === undefined) return ignore("malformed message event");
  const attributes = obj(payload, "content_attributes") ?? {};
  if (attributes.deleted === true) {
    if (payload.private !== false) return ignore("private note deleted");
    return enqueue(
      { type: "message.deleted", webhookId: `msg_${id}_deleted`, conversationId, messageId: id, occurredAt },
      `deleted-${id}`,
    );
  }
  // A failure marking (ours or Chatwoot's) carries external_error: never a delivery request (CONTRACT.md §4.7).
  if (attributes.external_error !== undefined) return ignore("failure marking");
  const reply = agentReply(payload);
  if (typeof reply === "string") return ignore(reply);
  const messages = obj(payload, "conversation")?.messages;
  const latest = Array.isArray(messages) ? messages[0] : undefined;
  const status = isObject(latest) && num(latest, "id") === id ? str(latest, "status") : undefined;
  if (status === "delivered" || status === "read") return ignore("already delivered");
  const fingerprint = createHash("sha256").update(JSON.stringify(payload)).digest("hex").slice(0, 32);
  return enqueue(
    {
      type: "message.created",
      webhookId: `msg_${id}`,
      conversationId,
      messageId: id,
      message: reply.message,
      redelivery: true,
      occurredAt,
    },
    `redeliver-${id}-${fingerprint}`,
  );
}

function classifyStatusChanged(payload: Record<string, unknown>, occurredAt: string): Classified {
  const conversationId = num(payload, "id");
  const status = STATUSES.find((s) => s === str(payload, "status"));
  if (conversationId === undefined || !status) return ignore("malformed conversation event");
  // changed_attributes is always null here (CONTRACT.md §4.4): `status` and `updated_at` identify the change.
  const version = String(num(payload, "updated_at") ?? num(payload, "timestamp") ?? 0);
  const webhookId = `conv_${conversationId}_${status}_${version.replace(/\D/g, "")}`;
  return enqueue({ type: "conversation.status_changed", webhookId, conversationId, status, occurredAt }, webhookId);
}
