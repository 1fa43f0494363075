// The catch-up sweep (spec §7): Chatwoot posts each webhook once and never retries (CONTRACT.md §4.3), so every
// SWEEP_INTERVAL the inbox's conversations updated within SWEEP_LOOKBACK are listed, and each that belongs to a user
// and changed since the sweep last signalled it gets a `conversation.changed` signal. The delivery worker then reads
// its messages after its cursor, so what a lost webhook carried is delivered in order, and nothing twice.
import { type ConversationSignal, CONVERSATION_CHANGED, signalRecord } from "./conversation-signal.js";
import { isExternalId } from "./external-id.js";
import type { ChatwootApi, Clock, EventQueue, MappingStore, UpdatedConversation } from "./ports.js";
import type { SweepStore } from "./sweep-port.js";

export interface SweepDeps {
  chatwoot: Pick<ChatwootApi, "listUpdatedConversations">;
  store: Pick<MappingStore, "findUserByConversation" | "findUserBySourceId" | "isClaimed" | "claimOnce">;
  sweepStore: SweepStore;
  queue: EventQueue;
  clock: Clock;
}

export interface SweepLimits {
  lookbackMs: number;
  /** Signals this run may enqueue: each costs the worker about one Chatwoot GET. */
  maxSignals: number;
  /** Epoch ms: no new conversation is started after it, so the run ends inside its function's timeout. */
  deadline: number;
}

export interface SweepResult {
  listed: number;
  signalled: number;
  /** Unchanged since the sweep last signalled them. */
  unchanged: number;
  /** Nobody's: no mapping, and no contact the bridge could route to a user. */
  unowned: number;
  /** The pass reached the end of the listing; the next run starts a new one. */
  passComplete: boolean;
}

type Outcome = "signalled" | "unchanged" | "unowned";

export async function sweepConversations(deps: SweepDeps, limits: SweepLimits): Promise<SweepResult> {
  const listed = await deps.chatwoot.listUpdatedConversations(Math.ceil(limits.lookbackMs / 1000));
  const after = (await deps.sweepStore.readPosition())?.afterConversationId ?? 0;
  const pending = listed.filter((c) => c.conversationId > after).sort((a, b) => a.conversationId - b.conversationId);
  const counts: Record<Outcome, number> = { signalled: 0, unchanged: 0, unowned: 0 };
  let handled = 0;
  // A claim outlives the listing window, so a change is signalled once however many passes list it.
  const claimExpiresAt = Math.ceil((deps.clock.now() + limits.lookbackMs) / 1000) + CLAIM_MARGIN_SECONDS;
  while (handled < pending.length && counts.signalled < limits.maxSignals && deps.clock.now() < limits.deadline) {
    // A few at a time, never more than the budget has left: a chunk that ends finished leaves a clean prefix.
    const size = Math.min(CONCURRENCY, limits.maxSignals - counts.signalled);
    const chunk = pending.slice(handled, handled + size);
    const outcomes = await Promise.all(chunk.map((c) => sweepOne(deps, c, claimExpiresAt)));
    for (const outcome of outcomes) counts[outcome] += 1;
    handled += chunk.length;
  }
  const passComplete = handled === pending.length;
  const last = pending[handled - 1]?.conversationId ?? after;
  await deps.sweepStore.savePosition({ afterConversationId: passComplete ? 0 : last });
  return { listed: listed.length, ...counts, passComplete };
}

/** Conversations handled at once: store reads and queue sends overlap, and the run covers more before its deadline. */
const CONCURRENCY = 8;

/** A claim stays a little past the lookback, so a conversation at the window's edge is not signalled again. */
const CLAIM_MARGIN_SECONDS = 3600;

async function sweepOne(deps: SweepDeps, conversation: UpdatedConversation, claimExpiresAt: number): Promise<Outcome> {
  const change = changeKey(conversation);
  if (await deps.store.isClaimed(change)) return "unchanged";
  if (!(await belongsToUser(deps, conversation))) return "unowned";
  const signal: ConversationSignal = {
    type: CONVERSATION_CHANGED,
    conversationId: conversation.conversationId,
    occurredAt: new Date(deps.clock.now()).toISOString(),
    origin: "sweep",
    status: conversation.status,
    // The listing's updated_at dates the status, so the worker applies it only when newer than what it has.
    statusAt: conversation.updatedAt,
    contact: contactHint(conversation),
  };
  // Enqueued before the claim: a crash between the two signals the change again, which the worker's cursor absorbs.
  await deps.queue.enqueue(signalRecord(signal, change));
  await deps.store.claimOnce(change, claimExpiresAt);
  return "signalled";
}

/** Names the conversation and its last change (`updated_at` in microseconds): the FIFO deduplication id and claim. */
export function changeKey(conversation: Pick<UpdatedConversation, "conversationId" | "updatedAt">): string {
  return `sweep-${conversation.conversationId}-${Math.round(conversation.updatedAt * 1_000_000)}`;
}

/**
 * Mapped, or routable as the worker routes an unmapped conversation (core/conversation-owner.ts): its contact_inbox
 * has a source_id the bridge chose, or its contact's identifier is a user id.
 */
async function belongsToUser(deps: SweepDeps, conversation: UpdatedConversation): Promise<boolean> {
  if (await deps.store.findUserByConversation(conversation.conversationId)) return true;
  const { contactId, sourceId, identifier } = conversation;
  if (contactId === undefined || sourceId === undefined) return false;
  if (identifier !== undefined && isExternalId(identifier)) return true;
  return (await deps.store.findUserBySourceId(sourceId)) !== undefined;
}

function contactHint(conversation: UpdatedConversation): ConversationSignal["contact"] {
  const { contactId, sourceId, identifier } = conversation;
  return {
    ...(contactId !== undefined ? { contactId } : {}),
    ...(sourceId !== undefined ? { sourceId } : {}),
    ...(identifier !== undefined ? { identifier } : {}),
  };
}
