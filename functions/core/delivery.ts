// deliverEvent(): one attempt at delivering a queued event to the external system, and what the queue does next.
import { findConversationOwner } from "./conversation-owner.js";
import type { ChatwootApi, Clock, ConversationOwner, DeliveryOutcome, DeliverySender, MappingStore } from "./ports.js";
import type { QueuedDelivery } from "./webhook-events.js";
import { isExpired, withQuotedUser } from "./events-delivery.js";
import type { MessageIndex } from "./message-index-port.js";

export interface DeliveryDeps {
  store: MappingStore;
  chatwoot: ChatwootApi;
  delivery: DeliverySender;
  clock: Clock;
  config: { deliveryRetryScheduleMs: number[] };
  /** Finds whose message an agent quoted, and records delivered replies so users can quote them (spec §3.3, §5). */
  messageIndex?: MessageIndex;
}

export type DeliveryDecision =
  | { kind: "delivered"; status: number; statusReported: boolean; adopted: boolean }
  | { kind: "skipped"; reason: "already delivered" | "unmapped conversation" | "expired" }
  /** The conversation belongs to no user: a reply is marked failed with `reason` (spec §4), never dropped silently. */
  | { kind: "undeliverable"; reason: string; statusReported: boolean }
  | { kind: "stopped"; status: number }
  | { kind: "retry"; delaySeconds: number; outcome: DeliveryOutcome }
  /** The user is creating a conversation that may be this one: nothing was sent; look again after the delay. */
  | { kind: "deferred"; delaySeconds: number }
  | { kind: "dead-letter"; outcome?: DeliveryOutcome };

/** Markers of delivered events outlive any redelivery an agent may trigger. */
const DELIVERED_MARKER_TTL_SECONDS = 90 * 24 * 3600;

/** A creation in flight records its conversation within seconds: look again soon, not at the lease's end. */
const MAX_DEFER_SECONDS = 2;

/** Attempts = schedule entries + 1 (spec §2). */
export function attemptsOf(scheduleMs: number[]): number {
  return scheduleMs.length + 1;
}

export async function deliverEvent(
  deps: DeliveryDeps,
  queued: QueuedDelivery,
  attempt: number,
): Promise<DeliveryDecision> {
  const attempts = attemptsOf(deps.config.deliveryRetryScheduleMs);
  const marker = `delivered:${queued.webhookId}`;
  // A late typing signal is worse than none (spec §5): dropped, never dead-lettered.
  if (isExpired(queued, deps.clock.now())) return { kind: "skipped", reason: "expired" };
  if (attempt > attempts) {
    // Received beyond the last attempt (the queue's redrive margin): the last one crashed or timed out before it
    // could tell the agent. Mark it failed now (Chatwoot ignores a repeat) and dead-letter it, with no new attempt.
    if (!(await deps.store.isClaimed(marker))) {
      await reportStatus(deps, queued, "failed", `Not delivered after ${attempts} attempts.`);
    }
    return { kind: "dead-letter" };
  }
  const found = await findConversationOwner(deps.store, queued, {
    now: deps.clock.now(),
    mayWait: attempt < attempts,
  });
  if (found.kind === "busy") {
    return { kind: "deferred", delaySeconds: Math.min(Math.ceil(found.retryInMs / 1000), MAX_DEFER_SECONDS) };
  }
  // A status change or deletion in a conversation of no user has no message an agent could see failed.
  if (found.kind === "none" && queued.type !== "message.created")
    return { kind: "skipped", reason: "unmapped conversation" };
  if (found.kind === "none") {
    const statusReported = await reportStatus(deps, queued, "failed", found.reason);
    return { kind: "undeliverable", reason: found.reason, statusReported };
  }
  const { owner, adopted } = found;
  if (queued.type === "conversation.status_changed" && queued.status) {
    await deps.store.setConversationStatus(owner.userId, queued.conversationId, queued.status, owner.threadId);
  }
  if (await deps.store.isClaimed(marker)) return { kind: "skipped", reason: "already delivered" };

  const sending = await withQuotedUser(deps.messageIndex, queued);
  const outcome = await deps.delivery.send({ webhookId: queued.webhookId, body: deliveryBody(sending, owner) });
  if (outcome.kind === "delivered") {
    await deps.store.claimOnce(marker, Math.floor(deps.clock.now() / 1000) + DELIVERED_MARKER_TTL_SECONDS);
    if (queued.type === "message.created" && queued.messageId !== undefined) {
      await deps.messageIndex?.record({ conversationId: queued.conversationId, chatwootMessageId: queued.messageId });
    }
    const statusReported = await reportStatus(deps, queued, "delivered");
    return { kind: "delivered", status: outcome.status, statusReported, adopted };
  }
  if (outcome.kind === "gone") {
    await reportStatus(deps, queued, "failed", "The receiving system answered 410 Gone; delivery was stopped.");
    return { kind: "stopped", status: outcome.status };
  }
  const delayMs = deps.config.deliveryRetryScheduleMs[attempt - 1] ?? 0;
  if (queued.expiresAt !== undefined && (attempt >= attempts || isExpired(queued, deps.clock.now() + delayMs))) {
    return { kind: "skipped", reason: "expired" };
  }
  if (attempt >= attempts) {
    await reportStatus(deps, queued, "failed", `Not delivered after ${attempts} attempts: ${outcome.reason}.`);
    return { kind: "dead-letter", outcome };
  }
  return { kind: "retry", delaySeconds: Math.ceil(delayMs / 1000), outcome };
}

/** The body of spec §5; `thread_id` is null for the default thread. */
export function deliveryBody(queued: QueuedDelivery, owner: ConversationOwner): string {
  const about = { user_id: owner.userId, thread_id: owner.threadId ?? null, conversation_id: queued.conversationId };
  const data =
    queued.type === "conversation.status_changed"
      ? { ...about, status: queued.status }
      : queued.type === "message.deleted"
        ? { ...about, message: { id: queued.messageId } }
        : queued.type === "typing.started" || queued.type === "typing.stopped"
          ? { ...about, sender: queued.sender ?? null }
          : { ...about, message: queued.message };
  return JSON.stringify({ type: queued.type, timestamp: queued.occurredAt, data });
}

/** Tells the agent in Chatwoot what became of the reply (CONTRACT.md §4.7). False when Chatwoot could not be told. */
async function reportStatus(
  deps: DeliveryDeps,
  queued: QueuedDelivery,
  status: "delivered" | "failed",
  externalError?: string,
): Promise<boolean> {
  if (queued.type !== "message.created" || queued.messageId === undefined) return true;
  try {
    await deps.chatwoot.updateMessageStatus(queued.conversationId, queued.messageId, status, externalError);
    return true;
  } catch {
    // The delivery outcome stands; a lost status mark is logged by the worker, never a reason to re-deliver.
    return false;
  }
}
