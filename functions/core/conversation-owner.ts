// Whose conversation an event is in (spec §4 "Whose conversation"): the mapped (user, thread), else the user whose
// contact it is — by the contact_inbox source_id the bridge chose (kept through merges, CONTRACT-addendum §A.5), else
// by the contact's identifier — recorded as that user's default thread. Otherwise a reason an agent can act on.
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
  await store.adoptConversation({
    userId,
    contactId: hint.contactId,
    sourceId: hint.sourceId,
    conversationId: queued.conversationId,
    ...(hint.status ? { conversationStatus: hint.status } : {}),
  });
  return { kind: "owner", owner: { userId }, adopted: true };
}
