// The fields of a Chatwoot webhook payload the bridge reads (CONTRACT.md §4.4), as one lenient schema: a field
// that is missing or of another type reads as absent, so one odd field never hides the event. And the
// conversion of Chatwoot's attachment and sender into the message view we deliver (spec §5).
import * as z from "zod/mini";
import type { DeliveredAttachment, DeliveredSender } from "./delivered-message.js";
import { CONVERSATION_STATUSES, WEBHOOK_EVENTS } from "./vocabulary.js";

/** Absent when missing or of another type. */
const maybe = <T extends z.ZodMiniType>(schema: T) => z.catch(z.optional(schema), undefined);
const text = maybe(z.string());
const number = maybe(z.number());

const latestMessage = z.object({ id: number, status: text });
const withId = maybe(z.object({ id: number }));
/** Whose conversation it is (spec §4): the contact_inbox's source_id and the contact (`meta.sender`). */
const contactInbox = maybe(z.object({ source_id: text }));
const meta = maybe(z.object({ sender: maybe(z.object({ id: number, identifier: maybe(z.nullable(z.string())) })) }));

export const webhookPayload = z.object({
  event: maybe(z.enum(WEBHOOK_EVENTS)),
  /** The message id, or the conversation id for conversation events. */
  id: number,
  message_type: text,
  private: maybe(z.boolean()),
  source_id: text,
  content: text,
  content_type: text,
  content_attributes: maybe(
    z.object({
      deleted: maybe(z.boolean()),
      external_error: z.optional(z.unknown()),
      // Read by message-extras.ts: the quote Chatwoot resolved and an interactive message's items.
      in_reply_to: z.optional(z.unknown()),
      in_reply_to_external_id: z.optional(z.unknown()),
      items: z.optional(z.unknown()),
    }),
  ),
  created_at: text,
  sender: z.optional(z.unknown()),
  attachments: maybe(z.array(z.unknown())),
  /** Chatwoot lists the conversation's latest message, with its delivery status, under `messages`. */
  conversation: maybe(
    z.object({
      id: number,
      inbox_id: number,
      status: maybe(z.enum(CONVERSATION_STATUSES)),
      updated_at: number,
      messages: maybe(z.array(z.catch(latestMessage, {}))),
      contact_inbox: contactInbox,
      meta,
    }),
  ),
  /** Message events name the inbox as `inbox`, conversation events as `inbox_id`; both name the `account`. */
  inbox: withId,
  inbox_id: number,
  account: withId,
  contact_inbox: contactInbox,
  meta,
  status: maybe(z.enum(CONVERSATION_STATUSES)),
  updated_at: number,
  timestamp: number,
  /** Typing events: who types (a contact's webhook_data has no `type`, CONTRACT-addendum §A.4) and whether privately. */
  user: z.optional(z.unknown()),
  is_private: z.optional(z.unknown()),
});
export type WebhookPayload = z.infer<typeof webhookPayload>;

const attachmentFields = z.object({
  file_type: text,
  data_url: text,
  content_type: z.catch(z.optional(z.nullable(z.string())), null),
  file_size: z.catch(z.optional(z.nullable(z.number())), null),
});

/** Fields a non-file attachment carries in place of a file (CONTRACT.md §2.5: location, contact, fallback…). */
const EXTRA_FIELDS = [
  "coordinates_lat",
  "coordinates_long",
  "fallback_title",
  "meta",
  "width",
  "height",
  "extension",
  "thumb_url",
];
/** Their `data_url` is an external link (a map, a web page), not a stored file: no filename to read from it. */
const NOT_FILES = new Set(["location", "fallback", "contact"]);

export function toAttachment(value: unknown): DeliveredAttachment | undefined {
  const parsed = attachmentFields.safeParse(value);
  if (!parsed.success || typeof value !== "object" || value === null) return undefined;
  const fields = parsed.data;
  const attachment: DeliveredAttachment = { file_type: fields.file_type ?? "file" };
  if (fields.data_url) {
    attachment.url = fields.data_url;
    const name = NOT_FILES.has(attachment.file_type) ? undefined : filenameOf(fields.data_url);
    if (name) attachment.filename = name;
  }
  if ("content_type" in value) attachment.content_type = fields.content_type ?? null;
  if ("file_size" in value) attachment.file_size = fields.file_size ?? null;
  for (const field of EXTRA_FIELDS) {
    const extra: unknown = Reflect.get(value, field);
    if (extra !== undefined && extra !== null) attachment[field] = extra;
  }
  return attachment;
}

/** data_url ends in the blob's filename (`…/redirect/<signed_id>/<filename>`). */
function filenameOf(url: string): string | undefined {
  try {
    const last = new URL(url).pathname.split("/").pop();
    return last ? decodeURIComponent(last) : undefined;
  } catch {
    return undefined;
  }
}

const senderFields = z.object({ id: number, name: text, type: text });

/** Agent `{id,name,email,type:"user"}`, bot `{…type:"agent_bot"}`, template `null`: delivered without the email. */
export function toSender(value: unknown): DeliveredSender {
  const parsed = senderFields.safeParse(value);
  if (!parsed.success) return null;
  return { id: parsed.data.id ?? null, name: parsed.data.name ?? null, type: parsed.data.type ?? "contact" };
}
