// The outcome of a message accepted with `Prefer: respond-async`, as a delivery (spec §5 `message.posted`,
// `message.failed`): its delivery-queue record, which names its owner (user, thread) itself, and one attempt at
// delivering it with the same signing, retries and once-only marker as every other delivery.
import { createHash } from "node:crypto";
import * as z from "zod/mini";
import { userGroup } from "./accepted-messages.js";
import { attemptsOf, type DeliveryDecision } from "./delivery.js";
import type { Clock, DeliverySender, MappingStore, PostedMessage, QueuedEvent } from "./ports.js";
import { OUTCOME_TYPES } from "./vocabulary.js";

export const INBOUND_OUTCOME = "inbound.outcome";

const text = z.string().check(z.minLength(1));
const outcomeRecordSchema = z.object({
  type: z.literal(INBOUND_OUTCOME),
  event: z.enum(OUTCOME_TYPES),
  webhookId: text,
  userId: text,
  threadId: z.optional(text),
  messageId: text,
  occurredAt: text,
  posted: z.optional(
    z.object({
      messageId: z.nullable(z.string()),
      chatwootMessageId: z.number(),
      conversationId: z.number(),
      contactId: z.number(),
      sourceId: z.string(),
    }),
  ),
  error: z.optional(z.object({ code: text, message: z.string() })),
});

export type OutcomeRecord = z.infer<typeof outcomeRecordSchema>;

export interface OutcomeDeliveryDeps {
  store: MappingStore;
  delivery: DeliverySender;
  clock: Clock;
  config: { deliveryRetryScheduleMs: number[] };
}

/** Markers of delivered outcomes outlive the message_id's own record (30 days). */
const DELIVERED_MARKER_TTL_SECONDS = 90 * 24 * 3600;

type Owner = { userId: string; threadId?: string; messageId: string };

export function postedRecord(owner: Owner, posted: PostedMessage, occurredAt: string): QueuedEvent {
  // A message is posted once: one webhook-id per (user, message_id), whatever repeat reports it.
  return record(
    { ...owner, event: "message.posted", occurredAt, posted },
    `msg_posted_${digest([owner.userId, owner.messageId])}`,
  );
}

export function failedRecord(
  owner: Owner,
  error: { code: string; message: string },
  acceptedAt: string,
  occurredAt: string,
): QueuedEvent {
  // The same message_id may be accepted again after a failure and fail again: each acceptance is its own event.
  const id = `msg_failed_${digest([owner.userId, owner.messageId, acceptedAt])}`;
  return record({ ...owner, event: "message.failed", occurredAt, error }, id);
}

/** The outcome record, or undefined when the body is some other record (the worker then reads it as before). */
export function parseOutcomeRecord(body: string): OutcomeRecord | undefined {
  if (!body.includes(INBOUND_OUTCOME)) return undefined;
  try {
    const parsed = outcomeRecordSchema.safeParse(JSON.parse(body));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export async function deliverOutcome(
  deps: OutcomeDeliveryDeps,
  outcome: OutcomeRecord,
  attempt: number,
): Promise<DeliveryDecision> {
  const attempts = attemptsOf(deps.config.deliveryRetryScheduleMs);
  const marker = `delivered:${outcome.webhookId}`;
  // Delivered already (the process stopped before the record was deleted): never a dead letter.
  if (await deps.store.isClaimed(marker)) return { kind: "skipped", reason: "already delivered" };
  if (attempt > attempts)
    return { kind: "dead-letter", reason: "the last attempt was interrupted before the receiver answered" };
  const sent = await deps.delivery.send({ webhookId: outcome.webhookId, body: outcomeBody(outcome) });
  if (sent.kind === "delivered") {
    await deps.store.claimOnce(marker, Math.floor(deps.clock.now() / 1000) + DELIVERED_MARKER_TTL_SECONDS);
    return { kind: "delivered", status: sent.status, statusReported: true, adopted: false };
  }
  if (sent.kind === "gone") return { kind: "stopped", status: sent.status };
  if (attempt >= attempts) return { kind: "dead-letter", reason: sent.reason, outcome: sent };
  const delayMs = deps.config.deliveryRetryScheduleMs[attempt - 1] ?? 0;
  return { kind: "retry", delaySeconds: Math.ceil(delayMs / 1000), outcome: sent };
}

/** Spec §5: `message.posted` carries the body of a 201 of POST /messages; `message.failed` the error. */
export function outcomeBody(outcome: OutcomeRecord): string {
  const about = {
    user_id: outcome.userId,
    thread_id: outcome.threadId ?? null,
    conversation_id: outcome.posted?.conversationId ?? null,
  };
  const data = outcome.posted
    ? {
        ...about,
        message_id: outcome.messageId,
        chatwoot_message_id: outcome.posted.chatwootMessageId,
        contact_id: outcome.posted.contactId,
        source_id: outcome.posted.sourceId,
        duplicate: false,
      }
    : { ...about, message_id: outcome.messageId, error: outcome.error ?? { code: "internal_error", message: "" } };
  return JSON.stringify({ type: outcome.event, timestamp: outcome.occurredAt, data });
}

function record(fields: Omit<OutcomeRecord, "type" | "webhookId">, webhookId: string): QueuedEvent {
  const body: OutcomeRecord = { type: INBOUND_OUTCOME, webhookId, ...fields };
  return { groupId: userGroup(fields.userId), deduplicationId: webhookId, body: JSON.stringify(body) };
}

function digest(parts: string[]): string {
  return createHash("sha256").update(JSON.stringify(parts)).digest("hex").slice(0, 40);
}
