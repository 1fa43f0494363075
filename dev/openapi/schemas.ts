// The wire shapes the OpenAPI document shows beyond the request bodies (those are the validating schemas
// themselves): answers of §3, the error body of §3.6 and the deliveries of §5, as zod/mini schemas.
import * as z from "zod/mini";
import { deliveredMessage, deliveredSender } from "../../functions/core/delivered-message.js";
import { CONVERSATION_STATUSES, USER_EVENT_TYPES } from "../../functions/core/vocabulary.js";
import { STATUS } from "../../functions/edge/errors-http.js";

const ids = {
  user_id: z.string(),
  contact_id: z.number(),
  source_id: z.string(),
};

export const contactAnswer = z.object({ ...ids, inbox_id: z.number(), created: z.boolean() });

const thread = {
  thread_id: z.nullable(z.string()),
  conversation_id: z.nullable(z.number()),
  status: z.nullable(z.enum(CONVERSATION_STATUSES)),
};

export const conversationAnswer = z.object({ ...ids, ...thread, created: z.optional(z.boolean()) });

/** GET /contacts/{user_id}: the default thread's view plus every thread, the default one first (spec §3.4). */
export const mappingAnswer = z.object({ ...ids, ...thread, threads: z.array(z.object(thread)) });

export const messageAnswer = z.object({
  message_id: z.nullable(z.string()),
  chatwoot_message_id: z.number(),
  conversation_id: z.number(),
  contact_id: z.number(),
  source_id: z.string(),
  duplicate: z.boolean(),
});

/** 202 of POST /messages with `Prefer: respond-async` (spec §3.3). */
export const acceptedAnswer = z.object({ message_id: z.string(), status: z.literal("queued") });

export const healthAnswer = z.object({ ok: z.literal(true) });

export const ERROR_CODES = Object.keys(STATUS).sort();

export const errorBody = z.object({
  error: z.object({
    code: z.enum(ERROR_CODES),
    message: z.string(),
    details: z.optional(z.array(z.object({ path: z.string(), message: z.string() }))),
  }),
});

// thread_id: null for the user's default thread (spec §5).
const deliveryData = {
  user_id: z.string(),
  thread_id: z.nullable(z.string()),
  conversation_id: z.number(),
};
const envelope = <T extends string>(type: T, data: z.ZodMiniObject) =>
  z.object({ type: z.literal(type), timestamp: z.string(), data });

/** The deliveries of spec §5 the bridge sends today (core/vocabulary.ts DELIVERY_TYPES). */
export const deliveries = {
  "message.created": envelope("message.created", z.object({ ...deliveryData, message: deliveredMessage })),
  "message.deleted": envelope("message.deleted", z.object({ ...deliveryData, message: z.object({ id: z.number() }) })),
  "conversation.status_changed": envelope(
    "conversation.status_changed",
    z.object({ ...deliveryData, status: z.enum(CONVERSATION_STATUSES) }),
  ),
  // Outcomes of `Prefer: respond-async` (core/vocabulary.ts OUTCOME_TYPES): the 201 body, or the error.
  "message.posted": envelope(
    "message.posted",
    z.object({ ...deliveryData, ...messageAnswer.shape, message_id: z.string(), duplicate: z.literal(false) }),
  ),
  "message.failed": envelope(
    "message.failed",
    z.object({
      ...deliveryData,
      conversation_id: z.nullable(z.number()),
      message_id: z.string(),
      error: z.object({ code: z.enum(ERROR_CODES), message: z.string() }),
    }),
  ),
  "typing.started": envelope("typing.started", z.object({ ...deliveryData, sender: deliveredSender })),
  "typing.stopped": envelope("typing.stopped", z.object({ ...deliveryData, sender: deliveredSender })),
};

/** POST /events' answer (spec §3.7): the event, whose, and what it touched in Chatwoot. */
export const eventAnswer = z.object({
  type: z.enum(USER_EVENT_TYPES),
  user_id: z.string(),
  thread_id: z.optional(z.nullable(z.string())),
  conversation_id: z.number(),
  message_id: z.optional(z.string()),
  edit_id: z.optional(z.string()),
  chatwoot_message_id: z.optional(z.number()),
  up_to: z.optional(z.nullable(z.number())),
  marked: z.optional(z.nullable(z.number())),
  duplicate: z.optional(z.boolean()),
});
