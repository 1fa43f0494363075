// deliverEvent(): one queued event delivered on its own (a deletion, an agent's Retry, a record queued before
// signals existed), and the decision types the worker logs and counts. Replies in general come from
// pullConversation (conversation-pull.ts), which delivers a conversation's messages in order.
import { findConversationOwner, type OwnerQuery } from "./conversation-owner.js";
import { isExpired } from "./events-delivery.js";
import type { DeliveryOutcome } from "./ports.js";
import type { QueuedDelivery } from "./queued-delivery.js";
import { markReply } from "./reply-marks.js";
import { attemptDelivery, deliveredMarker, reportStatus, type TrackedDeps } from "./tracked-delivery.js";

export { attemptsOf } from "./tracked-delivery.js";

export type DeliveryDeps = TrackedDeps;

export type DeliveryDecision =
  | { kind: "delivered"; status: number; statusReported: boolean; adopted: boolean }
  | { kind: "skipped"; reason: "already delivered" | "unmapped conversation" | "expired" | "never delivered" }
  /** The conversation belongs to no user: a reply is marked failed with `reason` (spec §4), never dropped silently. */
  | { kind: "undeliverable"; reason: string; statusReported: boolean }
  | { kind: "stopped"; status: number }
  | { kind: "retry"; delaySeconds: number; outcome: DeliveryOutcome & { kind: "failed" } }
  /** The user is creating a conversation that may be this one: nothing was sent; look again after the delay. */
  | { kind: "deferred"; delaySeconds: number }
  | { kind: "dead-letter"; reason: string; outcome?: DeliveryOutcome };

/** One delivery's decision, with the event it was about and the attempt's number when one was made. */
export interface ItemResult {
  decision: DeliveryDecision;
  queued: QueuedDelivery;
  attempt?: number;
}

/** What one receive of a queue record did; `retryInSeconds` when the record must come back (else it is finished). */
export interface WorkResult {
  items: ItemResult[];
  retryInSeconds?: number;
  /** Why a record ended with nothing to deliver, when that is worth a log line. */
  dropped?: "conversation not found";
}

/** What the worker knows of this receive: how often the record was received, to bound waiting. */
export interface ReceiveInfo {
  receiveCount: number;
}

/** A creation in flight records its conversation within seconds: look again soon, not at the lease's end. */
const MAX_DEFER_SECONDS = 2;
/** After this many receives spent waiting for a creation, the reply adopts the conversation rather than wait. */
const MAX_DEFER_RECEIVES = 10;

export async function deliverEvent(
  deps: DeliveryDeps,
  queued: QueuedDelivery,
  receive: ReceiveInfo,
): Promise<WorkResult> {
  // A late typing signal is worse than none (spec §5): dropped, never dead-lettered.
  if (isExpired(queued, deps.clock.now())) return single(queued, { kind: "skipped", reason: "expired" });
  const query: OwnerQuery = {
    conversationId: queued.conversationId,
    ...(queued.type === "message.created" && queued.contact ? { contact: queued.contact } : {}),
  };
  const found = await findConversationOwner(deps.store, query, {
    now: deps.clock.now(),
    mayWait: receive.receiveCount < MAX_DEFER_RECEIVES,
  });
  if (found.kind === "busy") return deferred(queued, found.retryInMs);
  // A status change or deletion in a conversation of no user has no message an agent could see failed.
  if (found.kind === "none" && queued.type !== "message.created")
    return single(queued, { kind: "skipped", reason: "unmapped conversation" });
  if (found.kind === "none") return undeliverable(deps, queued, found.reason);
  const { owner, adopted } = found;
  if (queued.type === "conversation.status_changed" && queued.status) {
    await deps.store.setConversationStatus(owner.userId, queued.conversationId, queued.status, owner.threadId);
  }
  if (await deps.store.isClaimed(deliveredMarker(queued.webhookId))) {
    // Chatwoot marked a reply failed that did go out (its webhook to us timed out): it shows delivered again.
    if (queued.chatwootFailed) await reportStatus(deps, queued, "delivered");
    return single(queued, { kind: "skipped", reason: "already delivered" });
  }
  // A reply deleted before the worker read it was never delivered (conversation-pull.ts skips deleted replies): its
  // deletion would name a message the receiver never had. Found by test/integration/sweep-recovery.test.ts.
  if (queued.type === "message.deleted" && !(await deps.store.isClaimed(deliveredMarker(`msg_${queued.messageId}`)))) {
    return single(queued, { kind: "skipped", reason: "never delivered" });
  }
  const attemptKey = queued.attemptKey ?? queued.webhookId;
  return toWork(queued, await attemptDelivery(deps, queued, owner, attemptKey), adopted);
}

/** A reply no user owns: the agent sees why on the message (spec §4). */
export async function undeliverable(deps: DeliveryDeps, queued: QueuedDelivery, reason: string): Promise<WorkResult> {
  const statusReported =
    queued.messageId === undefined
      ? true
      : await markReply(deps, queued.conversationId, {
          messageId: queued.messageId,
          status: "failed",
          externalError: reason,
        });
  return single(queued, { kind: "undeliverable", reason, statusReported });
}

export function deferred(queued: QueuedDelivery, retryInMs: number): WorkResult {
  const delaySeconds = Math.min(Math.ceil(retryInMs / 1000), MAX_DEFER_SECONDS);
  return { items: [{ decision: { kind: "deferred", delaySeconds }, queued }], retryInSeconds: delaySeconds };
}

/** The worker's view of an attempt: a retry brings the record back after its delay. */
export function toWork(
  queued: QueuedDelivery,
  result: Awaited<ReturnType<typeof attemptDelivery>>,
  adopted: boolean,
): WorkResult {
  const { attempt, ...decision } = result;
  const item: ItemResult = {
    decision: decision.kind === "delivered" ? { ...decision, adopted } : decision,
    queued,
    ...(attempt !== undefined ? { attempt } : {}),
  };
  return decision.kind === "retry" ? { items: [item], retryInSeconds: decision.delaySeconds } : { items: [item] };
}

function single(queued: QueuedDelivery, decision: DeliveryDecision): WorkResult {
  return { items: [{ decision, queued }] };
}
