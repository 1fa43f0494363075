// The wire schema of POST /events (spec §3.7): one strict body per `type`, so a field of another type is refused.
import * as z from "zod/mini";
import type { UserEvent } from "../core/events.js";
import { chatwootId, externalId } from "./inbound-schemas.js";

const typing = (type: "typing.started" | "typing.stopped") =>
  z.strictObject({ type: z.literal(type), user_id: externalId, thread_id: z.optional(externalId) });

export const eventsPostBody = z.discriminatedUnion("type", [
  typing("typing.started"),
  typing("typing.stopped"),
  z.strictObject({
    type: z.literal("messages.read"),
    user_id: externalId,
    thread_id: z.optional(externalId),
    up_to: z.optional(chatwootId),
  }),
  z.strictObject({
    type: z.literal("message.updated"),
    user_id: externalId,
    message_id: externalId,
    // Chatwoot's own content limit (CONTRACT.md §2.5).
    content: z.string().check(
      z.maxLength(150_000, "must be at most 150000 characters"),
      z.refine((text) => text.trim() !== "", "must not be empty"),
    ),
    edit_id: externalId,
  }),
  z.strictObject({ type: z.literal("message.deleted"), user_id: externalId, message_id: externalId }),
]);
export type EventsPostBody = z.infer<typeof eventsPostBody>;

/** snake_case body -> the domain's event: the one conversion point of this route. */
export function toUserEvent(body: EventsPostBody): UserEvent {
  const thread = "thread_id" in body && body.thread_id !== undefined ? { threadId: body.thread_id } : {};
  switch (body.type) {
    case "typing.started":
    case "typing.stopped":
      return { type: body.type, userId: body.user_id, ...thread };
    case "messages.read":
      return {
        type: body.type,
        userId: body.user_id,
        ...thread,
        ...(body.up_to !== undefined ? { upTo: body.up_to } : {}),
      };
    case "message.updated":
      return {
        type: body.type,
        userId: body.user_id,
        messageId: body.message_id,
        content: body.content,
        editId: body.edit_id,
      };
    case "message.deleted":
      return { type: body.type, userId: body.user_id, messageId: body.message_id };
  }
}
