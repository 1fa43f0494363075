// The agent reply as the bridge delivers it (spec §5) and as it travels in the queue body: one schema, one type.
import * as z from "zod/mini";
import { AGENT_MESSAGE_TYPES } from "./vocabulary.js";

/** A file or a non-file attachment (location, contact, …): `file_type` always, the rest as Chatwoot gave it. */
export const deliveredAttachment = z.looseObject({
  file_type: z.string(),
  url: z.optional(z.string()),
  content_type: z.optional(z.nullable(z.string())),
  file_size: z.optional(z.nullable(z.number())),
  filename: z.optional(z.string()),
});
export type DeliveredAttachment = z.infer<typeof deliveredAttachment>;

/** Agent `{id,name,type:"user"}`, bot `{…type:"agent_bot"}`, template `null`: never the agent's email. */
export const deliveredSender = z.nullable(
  z.object({ id: z.nullable(z.number()), name: z.nullable(z.string()), type: z.string() }),
);
export type DeliveredSender = z.infer<typeof deliveredSender>;

export const deliveredMessage = z.object({
  id: z.number(),
  content: z.nullable(z.string()),
  content_type: z.string().check(z.minLength(1)),
  message_type: z.enum(AGENT_MESSAGE_TYPES),
  attachments: z.array(deliveredAttachment),
  sender: deliveredSender,
  created_at: z.string().check(z.minLength(1)),
  /** The quoted message (spec §5); `message_id` is filled in by the worker when it was the user's. */
  reply_to: z.optional(z.object({ message_id: z.nullable(z.string()), chatwoot_message_id: z.number() })),
  /** An interactive message's `content_attributes.items` (spec §5). */
  items: z.optional(z.array(z.unknown())),
});
export type DeliveredMessage = z.infer<typeof deliveredMessage>;
