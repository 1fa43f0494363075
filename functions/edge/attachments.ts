// POST /messages attachments in the domain's terms: inline base64 decoded into files, URLs passed on for the
// fetcher (downloaded after the idempotency claim), and each one's idempotency key.
import { createHash } from "node:crypto";
import type { InboundAttachment } from "../core/ports.js";
import type { MessagesPostBody } from "./message-body-schema.js";

export interface ReadAttachments {
  attachments: InboundAttachment[];
  /** What identifies each attachment for idempotency: its URL with the names given, or the digest of its bytes. */
  keys: string[];
}

export function readAttachments(body: MessagesPostBody): ReadAttachments {
  const attachments: InboundAttachment[] = [];
  const keys: string[] = [];
  for (const attachment of body.attachments ?? []) {
    if ("url" in attachment) {
      const { url, filename, content_type: contentType } = attachment;
      attachments.push({
        kind: "url",
        source: {
          url,
          ...(filename !== undefined ? { filename } : {}),
          ...(contentType !== undefined ? { contentType } : {}),
        },
      });
      // The same URL may serve other bytes later; a retry is recognised by what the client sent, not by the bytes.
      keys.push(`url:${JSON.stringify([url, filename ?? null, contentType ?? null])}`);
      continue;
    }
    const data = Buffer.from(attachment.data, "base64");
    attachments.push({
      kind: "inline",
      file: { filename: attachment.filename, contentType: attachment.content_type, data: new Uint8Array(data) },
    });
    keys.push(
      `sha256:${createHash("sha256").update(data).digest("hex")}:${attachment.filename}:${attachment.content_type}`,
    );
  }
  return { attachments, keys };
}
