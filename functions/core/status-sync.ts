// The mapping's status is Chatwoot's current one, not the last webhook's (spec §5, issue 13 item 7). Webhooks arrive
// in any order and their payloads are built late (CONTRACT-addendum.md §A.6), so a status is applied only when the
// `updated_at` it was seen with is newer than the last one applied: no extra Chatwoot call, and a reversed pair
// (resolved, then open) ends open. It is delivered as `conversation.status_changed` only when it really changed.
import type { ConversationSignal } from "./conversation-signal.js";
import type { OwnerLookup } from "./conversation-owner.js";
import type { ConversationLedger } from "./delivery-state-port.js";
import { type DeliveryDeps, toWork, type WorkResult } from "./delivery.js";
import type { ConversationOwner } from "./ports.js";
import type { QueuedDelivery } from "./queued-delivery.js";
import { attemptDelivery, deliveredMarker } from "./tracked-delivery.js";
import type { ConversationStatus } from "./vocabulary.js";

export interface SeenStatus {
  status: ConversationStatus;
  statusAt: number;
}

/** The signal's status when it is newer than the last one applied; a status seen without a time is not applied. */
export function statusToApply(signal: ConversationSignal, ledger: ConversationLedger): SeenStatus | undefined {
  if (signal.status === undefined || signal.statusAt === undefined) return undefined;
  if (ledger.statusAt !== undefined && signal.statusAt <= ledger.statusAt) return undefined;
  return { status: signal.status, statusAt: signal.statusAt };
}

export async function applyStatus(
  deps: DeliveryDeps,
  signal: ConversationSignal,
  seen: SeenStatus,
  ledger: ConversationLedger,
  found: OwnerLookup,
): Promise<WorkResult> {
  const conversationId = signal.conversationId;
  if (found.kind !== "owner") {
    // No user's conversation (yet): remember the status, so a late older one is still known to be stale.
    await deps.ledger.recordStatus(conversationId, seen.status, seen.statusAt);
    return { items: [] };
  }
  const { owner } = found;
  const previous = ledger.status ?? (await mappedStatus(deps, owner, conversationId));
  await deps.store.setConversationStatus(owner.userId, conversationId, seen.status, owner.threadId);
  const queued: QueuedDelivery = {
    type: "conversation.status_changed",
    webhookId: `conv_${conversationId}_${seen.status}_${String(seen.statusAt).replace(/\D/g, "")}`,
    conversationId,
    status: seen.status,
    occurredAt: signal.occurredAt,
  };
  const unchanged = previous === seen.status || (await deps.store.isClaimed(deliveredMarker(queued.webhookId)));
  const work = unchanged
    ? { items: [] }
    : toWork(queued, await attemptDelivery(deps, queued, owner, queued.webhookId), false);
  if (work.retryInSeconds === undefined) await deps.ledger.recordStatus(conversationId, seen.status, seen.statusAt);
  return work;
}

/** The status the mapping holds when this conversation is still the (user, thread)'s current one. */
async function mappedStatus(
  deps: DeliveryDeps,
  owner: ConversationOwner,
  conversationId: number,
): Promise<ConversationStatus | undefined> {
  const record = await deps.store.getUser(owner.userId, owner.threadId);
  return record?.mapping?.conversationId === conversationId ? record.mapping.conversationStatus : undefined;
}
