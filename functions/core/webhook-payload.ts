// The fields of a Chatwoot webhook payload the bridge reads (CONTRACT.md §4.4), as one lenient schema: a field
// that is missing or of another type reads as absent, so one odd field never hides the event. Only the webhook
// route builds it: the attachment and sender conversions every message reader shares are in message-parts.ts.
import * as z from "zod/mini";
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
