// Deterministic ids: the same user always gets the same source_id, the same message the same message source_id,
// so a lost mapping or an ambiguous post can be recovered from Chatwoot itself.
import { createHash } from "node:crypto";

function digest(...parts: string[]): string {
  const hash = createHash("sha256");
  // Length-prefixed so ("ab","c") and ("a","bc") differ.
  for (const part of parts) hash.update(`${part.length}:${part}`);
  return hash.digest("hex");
}

/** The user's contact_inbox source_id in the API inbox. */
export function contactSourceId(userId: string): string {
  return `cwb-${digest("contact", userId).slice(0, 40)}`;
}

/** The source_id stored on a user's message in Chatwoot, derived from user_id + message_id. */
export function messageSourceId(userId: string, messageId: string): string {
  return `cwb-msg-${digest("message", userId, messageId).slice(0, 40)}`;
}

/** A stable fingerprint of what a message says, to tell a retry from a reuse of its message_id. */
export function fingerprint(value: unknown): string {
  return createHash("sha256").update(canonicalJson(value)).digest("base64url");
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}
