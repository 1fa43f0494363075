// The queue body's schema, checked when the worker reads it: a body that is not ours is dead-lettered, never guessed at.
import type { QueuedDelivery } from "./webhook-events.js";
import { isObject, num, obj, str, type DeliveredAttachment, type DeliveredMessage } from "./webhook-payload.js";

const TYPES = ["message.created", "message.deleted", "conversation.status_changed"] as const;
const STATUSES = ["open", "resolved", "pending", "snoozed"] as const;

export function parseQueuedDelivery(text: string): QueuedDelivery | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(value)) return undefined;
  const type = TYPES.find((t) => t === str(value, "type"));
  const webhookId = str(value, "webhookId");
  const conversationId = num(value, "conversationId");
  const occurredAt = str(value, "occurredAt");
  if (!type || !webhookId || conversationId === undefined || !occurredAt) return undefined;
  const queued: QueuedDelivery = { type, webhookId, conversationId, occurredAt };
  const messageId = num(value, "messageId");
  if (messageId !== undefined) queued.messageId = messageId;
  if (value.redelivery === true) queued.redelivery = true;
  if (type === "conversation.status_changed") {
    const status = STATUSES.find((s) => s === str(value, "status"));
    if (!status) return undefined;
    queued.status = status;
  }
  if (type === "message.created") {
    const message = parseMessage(obj(value, "message"));
    if (!message || messageId === undefined) return undefined;
    queued.message = message;
  }
  if (type === "message.deleted" && messageId === undefined) return undefined;
  return queued;
}

function parseMessage(value: Record<string, unknown> | undefined): DeliveredMessage | undefined {
  const id = num(value, "id");
  const messageType = str(value, "message_type");
  const createdAt = str(value, "created_at");
  const contentType = str(value, "content_type");
  if (
    !value ||
    id === undefined ||
    (messageType !== "outgoing" && messageType !== "template") ||
    !createdAt ||
    !contentType
  )
    return undefined;
  const content = value.content === null ? null : str(value, "content");
  if (content === undefined) return undefined;
  const attachments = Array.isArray(value.attachments) ? value.attachments.filter(isAttachment) : [];
  const sender = obj(value, "sender");
  return {
    id,
    content,
    content_type: contentType,
    message_type: messageType,
    attachments,
    sender: sender
      ? { id: num(sender, "id") ?? null, name: str(sender, "name") ?? null, type: str(sender, "type") ?? "user" }
      : null,
    created_at: createdAt,
  };
}

function isAttachment(value: unknown): value is DeliveredAttachment {
  return isObject(value) && typeof value.file_type === "string";
}
