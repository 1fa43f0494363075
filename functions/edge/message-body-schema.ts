// The wire schema of POST /messages (spec §3.3), apart from inbound-schemas.ts so that only the functions that take a
// message (POST /messages, the inbound worker) build it at their cold start.
import * as z from "zod/mini";
import { chatwootId, contactProfile, externalId, printable, threadId, userId } from "./inbound-schemas.js";

const urlAttachment = z.strictObject({
  // http passes here only for the fetcher to refuse it, unless BRIDGE_ATTACHMENT_ALLOW_HOSTS names the host (local tests).
  url: z.string().check(z.maxLength(2048), z.regex(/^https?:\/\/\S+$/i, "must be an https URL")),
  filename: z.optional(printable(255)),
  content_type: z.optional(z.string().check(z.minLength(1), z.maxLength(255))),
});

const dataAttachment = z.strictObject({
  data: z.string().check(z.minLength(1), z.regex(/^[A-Za-z0-9+/]*={0,2}$/, "must be base64")),
  filename: printable(255),
  content_type: z.string().check(z.minLength(1), z.maxLength(255)),
});

/** spec §3.3: one of the user's own messages by message_id, or an agent's message by its chatwoot_message_id. */
export const replyTo = z.union([
  z.strictObject({ message_id: externalId }),
  z.strictObject({ chatwoot_message_id: chatwootId }),
]);

/** ISO 8601 with a time and an offset (`2026-06-20T14:01:07Z`): what Chatwoot stores as external_created_at. */
export const sentAt = z.string().check(
  z.regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d{1,9})?)?(Z|[+-]\d\d:?\d\d)$/, "must be an ISO 8601 date-time"),
  z.refine((value) => !Number.isNaN(Date.parse(value)), "must be a real date-time"),
);

/** Chatwoot accepts at most 15 attachments per message (CONTRACT.md §2.5). */
export const MAX_ATTACHMENTS = 15;

export const messagesPostBody = z
  .strictObject({
    user_id: userId,
    thread_id: z.optional(threadId),
    message_id: z.optional(externalId),
    // Chatwoot's own content limit (CONTRACT.md §2.5).
    content: z.optional(z.string().check(z.maxLength(150_000))),
    attachments: z.optional(z.array(z.union([urlAttachment, dataAttachment])).check(z.maxLength(MAX_ATTACHMENTS))),
    contact: z.optional(contactProfile),
    reply_to: z.optional(replyTo),
    sent_at: z.optional(sentAt),
  })
  .check(
    z.refine(
      (body) => (body.content !== undefined && body.content.trim() !== "") || (body.attachments?.length ?? 0) > 0,
      {
        message: "content or attachments is required",
        path: ["content"],
      },
    ),
  );

export type MessagesPostBody = z.infer<typeof messagesPostBody>;
