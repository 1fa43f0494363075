// Whose conversation an event is in (spec §4 "Whose conversation"): the mapped (user, thread), else the user whose
// contact it is — by the contact_inbox source_id the bridge chose (kept through merges, CONTRACT-addendum §A.5), else
// by the contact's identifier — recorded as that user's default thread (or as the one thread whose create timed
// out). Otherwise a reason an agent can act on.
import type { ConversationOwner, MappingStore } from "./ports.js";
import type { QueuedDelivery } from "./queued-delivery.js";

export type OwnerLookup =
  | { kind: "owner"; owner: ConversationOwner; adopted: boolean }
  | { kind: "none"; reason: string };

/** Shown to the agent on the reply marked `failed` (external_error): why, and what would fix it. */
export const NO_USER_REASON =
  "This contact has no external user id (identifier) and was not created by the bridge, so the reply was not " +
  "delivered. Set the contact's identifier to the user's id in the external system, then retry the message.";

export async function findConversationOwner(store: MappingStore, queued: QueuedDelivery): Promise<OwnerLookup> {
  const mapped = await store.findUserByConversation(queued.conversationId);
  if (mapped) return { kind: "owner", owner: mapped, adopted: false };
  // Only a reply adopts: a status change alone says nothing the user must hear about yet.
  const hint = queued.type === "message.created" ? queued.contact : undefined;
  const bySource = hint?.sourceId ? await store.findUserBySourceId(hint.sourceId) : undefined;
  const userId = bySource ?? hint?.identifier;
  if (userId === undefined || hint?.contactId === undefined || hint.sourceId === undefined) {
    return { kind: "none", reason: NO_USER_REASON };
  }
  const threadId = await threadAwaitingConversation(store, userId);
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
 * A conversation create that timed out after Chatwoot stored it leaves its (user, thread) flagged: when exactly one
 * thread waits so, the conversation is that thread's. Otherwise it is the default thread's (agent-started).
 */
async function threadAwaitingConversation(store: MappingStore, userId: string): Promise<string | undefined> {
  const record = await store.getUser(userId);
  const threadIds = record?.threadIds ?? [];
  if (threadIds.length === 0) return undefined;
  const threads = await Promise.all(threadIds.map((threadId) => store.getUser(userId, threadId)));
  const waiting = [record, ...threads].filter(
    (r) => r?.mapping?.conversationUnknown && r.mapping.conversationId === undefined,
  );
  return waiting.length === 1 ? waiting[0]?.threadId : undefined;
}
