// Agent typing from Chatwoot's `conversation_typing_on/off` (spec §4, §5): delivered as typing.started/stopped in its
// own FIFO group, so it never holds back a reply, and with an expiry, so it is dropped rather than retried for long.
// Pure: no deps, no I/O.
import { createHash } from "node:crypto";
import * as z from "zod/mini";
import type { DeliveredSender } from "./delivered-message.js";
import type { QueuedDelivery } from "./queued-delivery.js";
import type { WebhookPayload } from "./webhook-payload.js";

/** spec §5: a typing event older than this is dropped, never dead-lettered. */
export const TYPING_MAX_AGE_SECONDS = 30;

export type TypingClassified =
  | { action: "enqueue"; delivery: QueuedDelivery; groupId: string; deduplicationId: string }
  | { action: "ignore"; reason: string };

/** Typing has its own group: a typing event being retried never holds back a reply of its conversation. */
export function typingGroup(conversationId: number): string {
  return `typing-${conversationId}`;
}

const typist = z.object({
  id: z.catch(z.optional(z.number()), undefined),
  name: z.catch(z.optional(z.string()), undefined),
  type: z.catch(z.optional(z.string()), undefined),
});

/** An agent's or bot's webhook_data has `type`; a contact's has none: that is the echo of the user's own typing. */
function typingSender(user: unknown): DeliveredSender | undefined {
  const parsed = typist.safeParse(user);
  if (!parsed.success || parsed.data.type === undefined) return undefined;
  return { id: parsed.data.id ?? null, name: parsed.data.name ?? null, type: parsed.data.type };
}

/** `is_private` is passed through as received: a boolean or a string (CONTRACT.md §4.4). */
function isPrivate(value: unknown): boolean {
  return value === true || value === "true";
}

export function classifyTyping(payload: WebhookPayload, raw: unknown, receivedAt: Date): TypingClassified {
  const conversationId = payload.conversation?.id;
  if (conversationId === undefined) return { action: "ignore", reason: "malformed typing event" };
  if (isPrivate(payload.is_private)) return { action: "ignore", reason: "typing a private note" };
  const sender = typingSender(payload.user);
  if (sender === undefined) return { action: "ignore", reason: "echo of the user's typing" };
  // No id in a typing event: the payload and the second it arrived name it, so a copy Chatwoot sent twice is dropped
  // by the queue, while the agent typing again later (the very same payload) is a new event.
  const fingerprint = createHash("sha256").update(JSON.stringify(raw)).digest("hex").slice(0, 24);
  const webhookId = `typing_${conversationId}_${fingerprint}_${Math.floor(receivedAt.getTime() / 1000)}`;
  const delivery: QueuedDelivery = {
    type: payload.event === "conversation_typing_on" ? "typing.started" : "typing.stopped",
    webhookId,
    conversationId,
    sender,
    occurredAt: receivedAt.toISOString(),
    expiresAt: Math.floor(receivedAt.getTime() / 1000) + TYPING_MAX_AGE_SECONDS,
  };
  return { action: "enqueue", delivery, groupId: typingGroup(conversationId), deduplicationId: webhookId };
}
