// Safe readers over an untrusted Chatwoot webhook payload (CONTRACT.md §4.4), and the message view we deliver (spec §5).

export type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function obj(value: unknown, key: string): Json | undefined {
  const found = isObject(value) ? value[key] : undefined;
  return isObject(found) ? found : undefined;
}

export function str(value: unknown, key: string): string | undefined {
  const found = isObject(value) ? value[key] : undefined;
  return typeof found === "string" ? found : undefined;
}

export function num(value: unknown, key: string): number | undefined {
  const found = isObject(value) ? value[key] : undefined;
  return typeof found === "number" && Number.isFinite(found) ? found : undefined;
}

export interface DeliveredAttachment {
  file_type: string;
  url?: string;
  content_type?: string | null;
  file_size?: number | null;
  filename?: string;
  [field: string]: unknown;
}

export interface DeliveredMessage {
  id: number;
  content: string | null;
  content_type: string;
  message_type: "outgoing" | "template";
  attachments: DeliveredAttachment[];
  sender: { id: number | null; name: string | null; type: string } | null;
  created_at: string;
}

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
  if (!isObject(value)) return undefined;
  const fileType = str(value, "file_type") ?? "file";
  const url = str(value, "data_url");
  const attachment: DeliveredAttachment = { file_type: fileType };
  if (url) {
    attachment.url = url;
    const name = NOT_FILES.has(fileType) ? undefined : filenameOf(url);
    if (name) attachment.filename = name;
  }
  if ("content_type" in value) attachment.content_type = str(value, "content_type") ?? null;
  if ("file_size" in value) attachment.file_size = num(value, "file_size") ?? null;
  for (const field of EXTRA_FIELDS)
    if (value[field] !== undefined && value[field] !== null) attachment[field] = value[field];
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

/** Agent `{id,name,email,type:"user"}`, bot `{…type:"agent_bot"}`, template `null`: delivered without the email. */
export function toSender(value: unknown): DeliveredMessage["sender"] {
  if (!isObject(value)) return null;
  return { id: num(value, "id") ?? null, name: str(value, "name") ?? null, type: str(value, "type") ?? "contact" };
}
