// The bridge's closed word lists, declared once: schemas, stores and the Chatwoot client read them from here,
// and each TypeScript type is derived from its list, so a new word cannot be added to one without the other.

/** A Chatwoot conversation's status (CONTRACT.md §3). */
export const CONVERSATION_STATUSES = ["open", "resolved", "pending", "snoozed"] as const;
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number];

/** The `type` of a delivery to the external system (spec §5). */
export const DELIVERY_TYPES = [
  "message.created",
  "message.deleted",
  "conversation.status_changed",
  "typing.started",
  "typing.stopped",
] as const;
export type DeliveryType = (typeof DELIVERY_TYPES)[number];

/** The deliveries that report a message accepted with `Prefer: respond-async` (spec §3.3, §5). */
export const OUTCOME_TYPES = ["message.posted", "message.failed"] as const;
export type OutcomeType = (typeof OUTCOME_TYPES)[number];

/** Chatwoot's `message_type` of the agent replies the bridge delivers (CONTRACT.md §4.4). */
export const AGENT_MESSAGE_TYPES = ["outgoing", "template"] as const;

/** The Chatwoot webhook events the bridge acts on (CONTRACT.md §4.5); every other event is ignored. */
export const WEBHOOK_EVENTS = [
  "message_created",
  "message_updated",
  "conversation_status_changed",
  "conversation_typing_on",
  "conversation_typing_off",
] as const;

/** The user's signals of POST /events (spec §3.7). */
export const USER_EVENT_TYPES = [
  "typing.started",
  "typing.stopped",
  "messages.read",
  "message.updated",
  "message.deleted",
] as const;
export type UserEventType = (typeof USER_EVENT_TYPES)[number];

/** Chatwoot content types whose `content_attributes.items` are delivered as `message.items` (spec §5). */
export const INTERACTIVE_CONTENT_TYPES = ["input_select", "cards", "form", "article"] as const;

/** A message idempotency record's state (issue #4 §4). */
export const IDEMPOTENCY_STATES = ["pending", "unknown", "done"] as const;
export type IdempotencyState = (typeof IDEMPOTENCY_STATES)[number];

/** What the bridge reports back on an agent's reply (CONTRACT.md §4.7). */
export type ReplyMark = "delivered" | "failed";
