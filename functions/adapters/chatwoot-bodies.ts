// Request bodies for Chatwoot: snake_case JSON, or multipart when files travel with the message (CONTRACT.md §2.4, §2.5).
import type { ContactProfile, IncomingMessage } from "../core/ports.js";

export function contactBody(profile: ContactProfile): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (profile.name !== undefined) body.name = profile.name;
  if (profile.email !== undefined) body.email = profile.email;
  if (profile.phoneNumber !== undefined) body.phone_number = profile.phoneNumber;
  if (profile.avatarUrl !== undefined) body.avatar_url = profile.avatarUrl;
  if (profile.customAttributes !== undefined) body.custom_attributes = profile.customAttributes;
  return body;
}

/** The user's message: always `incoming` (Chatwoot defaults to outgoing), with the bridge's source_id. */
export function messageBody(message: IncomingMessage): Record<string, unknown> | FormData {
  if (!message.attachments?.length) {
    return {
      content: message.content ?? null,
      message_type: "incoming",
      source_id: message.sourceId,
      ...extras(message),
    };
  }
  const form = new FormData();
  if (message.content !== undefined) form.append("content", message.content);
  form.append("message_type", "incoming");
  form.append("source_id", message.sourceId);
  appendExtras(form, "", message);
  appendFiles(form, "attachments[]", message);
  return form;
}

/** The quote, `edited` and `external_created_at` (CONTRACT.md §2.5), only when given. */
function extras(message: IncomingMessage): Record<string, unknown> {
  return {
    ...(message.contentAttributes ? { content_attributes: message.contentAttributes } : {}),
    ...(message.externalCreatedAt ? { external_created_at: message.externalCreatedAt } : {}),
  };
}

/** In multipart, content_attributes travels as a JSON string (CONTRACT-addendum §A.2). */
function appendExtras(form: FormData, prefix: string, message: IncomingMessage): void {
  const name = (field: string) => (prefix ? `${prefix}[${field}]` : field);
  if (message.contentAttributes) form.append(name("content_attributes"), JSON.stringify(message.contentAttributes));
  if (message.externalCreatedAt) form.append(name("external_created_at"), message.externalCreatedAt);
}

export function conversationBody(input: {
  inboxId: number;
  contactId: number;
  sourceId: string;
  message?: IncomingMessage;
}): Record<string, unknown> | FormData {
  const { message } = input;
  if (!message?.attachments?.length) {
    return {
      inbox_id: input.inboxId,
      contact_id: input.contactId,
      source_id: input.sourceId,
      ...(message
        ? {
            message: {
              content: message.content ?? null,
              message_type: "incoming",
              source_id: message.sourceId,
              ...extras(message),
            },
          }
        : {}),
    };
  }
  const form = new FormData();
  form.append("inbox_id", String(input.inboxId));
  form.append("contact_id", String(input.contactId));
  form.append("source_id", input.sourceId);
  if (message.content !== undefined) form.append("message[content]", message.content);
  form.append("message[message_type]", "incoming");
  form.append("message[source_id]", message.sourceId);
  appendExtras(form, "message", message);
  appendFiles(form, "message[attachments][]", message);
  return form;
}

function appendFiles(form: FormData, name: string, message: IncomingMessage): void {
  for (const file of message.attachments ?? []) {
    form.append(name, new Blob([file.data], { type: file.contentType }), file.filename);
  }
}
