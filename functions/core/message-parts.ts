// Chatwoot's attachment and sender, as a webhook payload or the messages list shows them, turned into the message
// view we deliver (spec §5). Apart from webhook-payload.ts, so a function that reads messages (the Chatwoot client's
// list) does not build the whole webhook payload's schema at its cold start.
import * as z from "zod/mini";
import type { DeliveredAttachment, DeliveredSender } from "./delivered-message.js";

/** Absent when missing or of another type. */
const maybe = <T extends z.ZodMiniType>(schema: T) => z.catch(z.optional(schema), undefined);
const text = maybe(z.string());
const number = maybe(z.number());

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
