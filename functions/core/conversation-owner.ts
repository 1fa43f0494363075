// Whose conversation an event is in (spec §4 "Whose conversation"): the mapped (user, thread), else the user whose
// contact it is — by the contact_inbox source_id the bridge chose (kept through merges, CONTRACT-addendum §A.5), else
// by the contact's identifier — recorded as that user's default thread (or as the one thread whose create timed
// out). Otherwise a reason an agent can act on.
import { isExternalId } from "./external-id.js";
import type { ConversationOwner, MappingStore } from "./ports.js";
import type { ContactHint } from "./queued-delivery.js";

/** The conversation, and who the event showed it with; only a reply passes a contact (only a reply adopts). */
export interface OwnerQuery {
  conversationId: number;
  contact?: ContactHint;
}

export type OwnerLookup =
  | { kind: "owner"; owner: ConversationOwner; adopted: boolean }
  /** The user is creating a conversation right now: this may be it, recorded in a moment. Ask again later. */
  | { kind: "busy"; retryInMs: number }
  | { kind: "none"; reason: string };

/** Shown to the agent on the reply marked `failed` (external_error): why, and what would fix it. */
export const NO_USER_REASON =
  "This contact has no external user id (identifier) and was not created by the bridge, so the reply was not " +
  "delivered. Set the contact's identifier to the user's id in the external system, then retry the message.";

/** `now` (epoch ms) judges leases; `mayWait` is false once waiting has gone on long enough: then it adopts. */
export async function findConversationOwner(
  store: MappingStore,
  queued: OwnerQuery,
  clock: { now: number; mayWait: boolean },
): Promise<OwnerLookup> {
  const mapped = await store.findUserByConversation(queued.conversationId);
  if (mapped) return { kind: "owner", owner: mapped, adopted: false };
  // Only a reply adopts: a status change alone says nothing the user must hear about yet.
  const hint = queued.contact;
  const bySource = hint?.sourceId ? await store.findUserBySourceId(hint.sourceId) : undefined;
  // An identifier an agent typed becomes a user_id only if the inbound API would accept it as one.
  const identifier = hint?.identifier !== undefined && isExternalId(hint.identifier) ? hint.identifier : undefined;
  const userId = bySource ?? identifier;
  if (userId === undefined || hint?.contactId === undefined || hint.sourceId === undefined) {
    return { kind: "none", reason: NO_USER_REASON };
  }
  const target = await conversationTarget(store, userId, clock.now);
  if ("busyUntil" in target && clock.mayWait) return { kind: "busy", retryInMs: target.busyUntil - clock.now };
  const threadId = "threadId" in target ? target.threadId : undefined;
  const thread = threadId === undefined ? {} : { threadId };
  await store.adoptConversation({
    userId,
    ...thread,
    contactId: hint.contactId,
    sourceId: hint.sourceId,
    conversationId: queued.conversationId,
    ...(hint.status ? { conversationStatus: hint.status } : {}),
  });
  return { kind: "owner", owner: { userId, ...thread }, adopted: true };
}

/**
 * Which of the user's threads an unmapped conversation is for. A creation in flight (a lease held) may be making this
 * very conversation: wait for it to be recorded. A create that timed out after Chatwoot stored it leaves its thread
 * flagged: when exactly one thread waits so, the conversation is that thread's. Otherwise the default thread's.
 */
async function conversationTarget(
  store: MappingStore,
  userId: string,
  now: number,
): Promise<{ threadId?: string } | { busyUntil: number }> {
  const record = await store.getUser(userId);
  const threadIds = record?.threadIds ?? [];
  const threads = await Promise.all(threadIds.map((threadId) => store.getUser(userId, threadId)));
  const records = [record, ...threads];
  const busyUntil = Math.max(0, ...records.map((r) => r?.leaseUntil ?? 0));
  if (busyUntil > now) return { busyUntil };
  const waiting = records.filter((r) => r?.mapping?.conversationUnknown && r.mapping.conversationId === undefined);
  const threadId = waiting.length === 1 ? waiting[0]?.threadId : undefined;
  return threadId === undefined ? {} : { threadId };
}
