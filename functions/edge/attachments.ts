// Inline (base64) attachments of POST /messages decoded into files; URL attachments are downloaded by issue #7's fetcher.
import { createHash } from "node:crypto";
import { BridgeError } from "../core/errors.js";
import type { OutgoingAttachment } from "../core/ports.js";
import type { MessagesPostBody } from "./inbound-schemas.js";

export interface DecodedAttachments {
  files: OutgoingAttachment[];
  /** What identifies each attachment for idempotency: its URL, or the digest of its bytes. */
  keys: string[];
}

export function decodeAttachments(body: MessagesPostBody): DecodedAttachments {
  const files: OutgoingAttachment[] = [];
  const keys: string[] = [];
  (body.attachments ?? []).forEach((attachment, index) => {
    if ("url" in attachment) {
      throw new BridgeError("validation_failed", "attachments by url are not supported yet; send data (base64)", {
        details: [{ path: `attachments.${index}.url`, message: "not supported yet" }],
      });
    }
    const data = Buffer.from(attachment.data, "base64");
    files.push({ filename: attachment.filename, contentType: attachment.content_type, data: new Uint8Array(data) });
    keys.push(`sha256:${createHash("sha256").update(data).digest("hex")}:${attachment.filename}:${attachment.content_type}`);
  });
  return { files, keys };
}
