// pullConversation(): the worker's answer to "conversation N changed" (spec §5, issue 13 item 7). It reads the
// messages after the conversation's cursor from Chatwoot and delivers each agent reply in message-id order,
// moving the cursor past each one once it is finished (delivered, stopped by a 410, or given up). A reply that
// fails stops the pull: later replies wait while it is retried. Chatwoot is the source of truth, so the order
// webhooks arrive in, a webhook sent twice or a signal from the sweep changes nothing.
import type { ConversationSignal } from "./conversation-signal.js";
import { isChatwootError } from "./errors.js";
import { findConversationOwner, type OwnerLookup } from "./conversation-owner.js";
import { deferred, type DeliveryDeps, type ReceiveInfo, toWork, undeliverable, type WorkResult } from "./delivery.js";
import {
  AFTER_PAGE_SIZE,
  isAgentReply,
  type ListedMessage,
  type MessagePage,
  quotedSourceIdOf,
  toDeliveredMessage,
} from "./listed-message.js";
import type { QueuedDelivery } from "./queued-delivery.js";
import { retryPendingMarks } from "./reply-marks.js";
import { startingCursor } from "./starting-cursor.js";
import { applyStatus, statusToApply } from "./status-sync.js";
import { attemptDelivery, deliveredMarker } from "./tracked-delivery.js";

/** This receive's limits: `hasTime` is false when another page or reply might not finish within the invocation. */
export interface PullReceive extends ReceiveInfo {
  hasTime(): boolean;
}

/** After this many receives spent waiting for a creation, the reply adopts the conversation rather than wait. */
const MAX_DEFER_RECEIVES = 10;

export async function pullConversation(
  deps: DeliveryDeps,
  signal: ConversationSignal,
  receive: PullReceive,
): Promise<WorkResult> {
  try {
    return await pull(deps, signal, receive);
  } catch (error) {
    // Deleted in Chatwoot (no webhook says so, CONTRACT-addendum.md §A.5): nothing left to read or deliver.
    if (isChatwootError(error, "not_found")) return { items: [], dropped: "conversation not found" };
    throw error;
  }
}

async function pull(deps: DeliveryDeps, signal: ConversationSignal, receive: PullReceive): Promise<WorkResult> {
  const conversationId = signal.conversationId;
  const ledger = await deps.ledger.readConversation(conversationId);
  if (ledger.marks.length > 0) await retryPendingMarks(deps, conversationId, ledger.marks);
  const owners = ownerCache(deps, signal, receive);
  let status = statusToApply(signal, ledger);
  let cursor = ledger.cursor;
  if (cursor === undefined) {
    cursor = await startingCursor(deps, conversationId);
    await deps.ledger.advanceCursor(conversationId, cursor);
  }
  // Where the stored cursor is: a write only when the cursor has moved past it.
  let stored = cursor;
  const items: WorkResult["items"] = [];
  for (;;) {
    const page = await deps.chatwoot.listMessagesAfter(conversationId, cursor);
    for (const message of page.messages) {
      // A status change goes out between the replies written before it and those written after it.
      if (status && message.createdAt > status.statusAt) {
        const applied = await applyStatus(deps, signal, status, ledger, await owners.forStatus());
        items.push(...applied.items);
        if (applied.retryInSeconds !== undefined) return { items, retryInSeconds: applied.retryInSeconds };
        status = undefined;
      }
      if (isAgentReply(message)) {
        // One more reply might not finish within the invocation: the record comes back at once, no attempt spent.
        if (items.length > 0 && !receive.hasTime()) return { items, retryInSeconds: 0 };
        const done = await deliverReply(deps, signal, message, () => owners.forReply(page));
        items.push(...done.items);
        if (done.retryInSeconds !== undefined) return { items, retryInSeconds: done.retryInSeconds };
        await deps.ledger.advanceCursor(conversationId, message.id);
        stored = message.id;
      }
      cursor = message.id;
    }
    if (cursor !== stored) await deps.ledger.advanceCursor(conversationId, cursor);
    stored = cursor;
    if (page.messages.length < AFTER_PAGE_SIZE) break;
    // More to read but no time to read it: the record comes back at once, without spending an attempt.
    if (!receive.hasTime()) return { items, retryInSeconds: 0 };
  }
  if (status) {
    const applied = await applyStatus(deps, signal, status, ledger, await owners.forStatus());
    items.push(...applied.items);
    if (applied.retryInSeconds !== undefined) return { items, retryInSeconds: applied.retryInSeconds };
  }
  return { items };
}

async function deliverReply(
  deps: DeliveryDeps,
  signal: ConversationSignal,
  message: ListedMessage,
  owner: () => Promise<OwnerLookup>,
): Promise<WorkResult> {
  const queued: QueuedDelivery = {
    type: "message.created",
    webhookId: `msg_${message.id}`,
    conversationId: signal.conversationId,
    messageId: message.id,
    message: toDeliveredMessage(message),
    occurredAt: signal.occurredAt,
    ...quotedSourceIdOf(message),
  };
  // The exactly-once guard: a reply the event path (an agent's Retry) or an earlier pull delivered goes out once.
  if (await deps.store.isClaimed(deliveredMarker(queued.webhookId))) {
    return { items: [{ decision: { kind: "skipped", reason: "already delivered" }, queued }] };
  }
  const found = await owner();
  if (found.kind === "busy") return deferred(queued, found.retryInMs);
  if (found.kind === "none") return undeliverable(deps, queued, found.reason);
  return toWork(queued, await attemptDelivery(deps, queued, found.owner, queued.webhookId), found.adopted);
}

/** Looks the owner up once per receive; only a reply adopts an unmapped conversation (spec §4). */
function ownerCache(deps: DeliveryDeps, signal: ConversationSignal, receive: ReceiveInfo) {
  let found: OwnerLookup | undefined;
  const lookup = async (page?: MessagePage): Promise<OwnerLookup> => {
    const contact = page ? replyContact(signal, page) : undefined;
    return findConversationOwner(
      deps.store,
      { conversationId: signal.conversationId, ...(contact ? { contact } : {}) },
      { now: deps.clock.now(), mayWait: receive.receiveCount < MAX_DEFER_RECEIVES },
    );
  };
  return {
    async forReply(page: MessagePage): Promise<OwnerLookup> {
      if (found?.kind !== "owner") found = await lookup(page);
      return found;
    },
    async forStatus(): Promise<OwnerLookup> {
      return found?.kind === "owner" ? found : lookup();
    },
  };
}

/** Who the conversation is with: as the webhook showed it, else as the messages list's `meta.contact` shows it. */
function replyContact(signal: ConversationSignal, page: MessagePage) {
  const fromList = page.contact;
  const contactId = signal.contact?.contactId ?? fromList?.id;
  const identifier = signal.contact?.identifier ?? fromList?.identifier;
  const sourceId = signal.contact?.sourceId;
  return {
    ...(contactId !== undefined ? { contactId } : {}),
    ...(sourceId !== undefined ? { sourceId } : {}),
    ...(identifier !== undefined ? { identifier } : {}),
    ...(signal.status !== undefined ? { status: signal.status } : {}),
  };
}
