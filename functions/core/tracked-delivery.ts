// One delivery attempt whose count lives in the table (issue 12 item 3): counted right before the POST, so a crash
// mid-attempt still counts it, and only POSTs count; after the last one the reply is marked failed with the reason
// and the event goes to the dead-letter queue, by the worker itself, the same way locally and in AWS.
import type { DeliveryLedger } from "./delivery-state-port.js";
import { isExpired, withQuotedUser } from "./events-delivery.js";
import type { MessageIndex } from "./message-index-port.js";
import { type MarkDeps, markReply } from "./reply-marks.js";
import type { Clock, ConversationOwner, DeliveryOutcome, DeliverySender, EventQueue, MappingStore } from "./ports.js";
import type { QueuedDelivery } from "./queued-delivery.js";

export interface TrackedDeps extends MarkDeps {
  store: MappingStore;
  ledger: DeliveryLedger;
  delivery: DeliverySender;
  deadLetters: EventQueue;
  clock: Clock;
  config: { deliveryRetryScheduleMs: number[] };
  /** Finds whose message an agent quoted, and records delivered replies so users can quote them (spec §3.3, §5). */
  messageIndex?: MessageIndex;
}

export type AttemptDecision =
  | { kind: "delivered"; status: number; statusReported: boolean }
  | { kind: "stopped"; status: number }
  | { kind: "retry"; delaySeconds: number; outcome: DeliveryOutcome & { kind: "failed" } }
  | { kind: "dead-letter"; reason: string; outcome?: DeliveryOutcome }
  /** A typing event that failed and would be too old by its next attempt: dropped, never dead-lettered. */
  | { kind: "skipped"; reason: "expired" };

/** Markers and attempt counts outlive any redelivery an agent may trigger. */
export const DELIVERY_RECORD_TTL_SECONDS = 90 * 24 * 3600;

/** The reason of a last attempt that never reported back: the process stopped during it. */
export const INTERRUPTED_REASON = "the last attempt was interrupted before the receiver answered";

/** Attempts = schedule entries + 1 (spec §2). */
export function attemptsOf(scheduleMs: number[]): number {
  return scheduleMs.length + 1;
}

export function deliveredMarker(webhookId: string): string {
  return `delivered:${webhookId}`;
}

/**
 * Makes the next attempt of `queued` (its count kept under `attemptKey`), or gives up when none is left. The
 * caller has checked the delivered marker; this one claims it after a 2xx.
 */
export async function attemptDelivery(
  deps: TrackedDeps,
  queued: QueuedDelivery,
  owner: ConversationOwner,
  attemptKey: string,
): Promise<AttemptDecision & { attempt?: number }> {
  const attempts = attemptsOf(deps.config.deliveryRetryScheduleMs);
  const nowSeconds = Math.floor(deps.clock.now() / 1000);
  const attempt = await deps.ledger.countAttempt(attemptKey, nowSeconds + DELIVERY_RECORD_TTL_SECONDS, attempts);
  if (attempt === undefined) {
    // Every attempt was counted already (the last one's outcome never recorded when it was interrupted).
    const before = await deps.ledger.readAttempts(attemptKey);
    const reason = before.lastReasonAttempt === before.attempts ? before.lastReason : undefined;
    return giveUp(deps, queued, attempts, reason ?? INTERRUPTED_REASON);
  }
  const sending = await withQuotedUser(deps.messageIndex, queued);
  const outcome = await deps.delivery.send({ webhookId: queued.webhookId, body: deliveryBody(sending, owner) });
  if (outcome.kind === "delivered") {
    await deps.store.claimOnce(deliveredMarker(queued.webhookId), nowSeconds + DELIVERY_RECORD_TTL_SECONDS);
    if (queued.type === "message.created" && queued.messageId !== undefined) {
      await deps.messageIndex?.record({ conversationId: queued.conversationId, chatwootMessageId: queued.messageId });
    }
    const statusReported = await reportStatus(deps, queued, "delivered");
    return { kind: "delivered", status: outcome.status, statusReported, attempt };
  }
  if (outcome.kind === "gone") {
    await reportStatus(deps, queued, "failed", "The receiving system answered 410 Gone; delivery was stopped.");
    return { kind: "stopped", status: outcome.status, attempt };
  }
  await deps.ledger.recordAttemptFailure(attemptKey, attempt, outcome.reason);
  const delayMs = deps.config.deliveryRetryScheduleMs[attempt - 1] ?? 0;
  if (queued.expiresAt !== undefined && (attempt >= attempts || isExpired(queued, deps.clock.now() + delayMs))) {
    return { kind: "skipped", reason: "expired", attempt };
  }
  if (attempt >= attempts) return { ...(await giveUp(deps, queued, attempts, outcome.reason, outcome)), attempt };
  return { kind: "retry", delaySeconds: Math.ceil(delayMs / 1000), outcome, attempt };
}

/** The agent sees the reply failed with the reason; the event goes to the dead-letter queue for an operator. */
async function giveUp(
  deps: TrackedDeps,
  queued: QueuedDelivery,
  attempts: number,
  reason: string,
  outcome?: DeliveryOutcome,
): Promise<AttemptDecision> {
  await reportStatus(deps, queued, "failed", `Not delivered after ${attempts} attempts: ${reason}.`);
  await deps.deadLetters.enqueue({
    groupId: `conversation-${queued.conversationId}`,
    deduplicationId: `dead-${queued.webhookId}`,
    body: JSON.stringify({ ...queued, reason }),
  });
  return { kind: "dead-letter", reason, ...(outcome ? { outcome } : {}) };
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

/** Tells the agent what became of a reply (CONTRACT.md §4.7). False when Chatwoot did not take it yet (pending). */
export async function reportStatus(
  deps: MarkDeps,
  queued: QueuedDelivery,
  status: "delivered" | "failed",
  externalError?: string,
): Promise<boolean> {
  if (queued.type !== "message.created" || queued.messageId === undefined) return true;
  const mark = { messageId: queued.messageId, status, ...(externalError !== undefined ? { externalError } : {}) };
  return markReply(deps, queued.conversationId, mark);
}
