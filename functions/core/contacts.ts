// ensureContact() and ensureConversation(): the domain of POST /contacts and POST /conversations (spec §3.1, §3.2).
import type { InboundDeps } from "./inbound-deps.js";
import type { ContactProfile, Mapping } from "./ports.js";
import { resolveConversation, resolveUser } from "./users.js";

export interface Ensured {
  mapping: Mapping;
  created: boolean;
}

/** Get or create the user's contact; an existing one gets the given profile fields. */
export async function ensureContact(deps: InboundDeps, userId: string, profile: ContactProfile): Promise<Ensured> {
  const existing = (await deps.store.getUser(userId))?.mapping;
  if (existing) {
    if (Object.keys(profile).length > 0) await deps.chatwoot.updateContact(existing.contactId, profile);
    return { mapping: existing, created: false };
  }
  const resolved = await resolveUser(deps, { userId, profile, conversation: false });
  return { mapping: resolved.mapping, created: resolved.contactCreated };
}

/** Get the user's current conversation (per CONVERSATION_AFTER_RESOLVED) or open one, creating the contact on the way. */
export async function ensureConversation(
  deps: InboundDeps,
  userId: string,
  profile?: ContactProfile,
): Promise<Ensured> {
  const resolved = await resolveConversation(deps, { userId, ...(profile ? { profile } : {}) });
  return { mapping: resolved.mapping, created: resolved.conversationCreated };
}

/** The stored mapping, or undefined for a user the bridge has not mapped. */
export async function readMapping(deps: Pick<InboundDeps, "store">, userId: string): Promise<Mapping | undefined> {
  return (await deps.store.getUser(userId))?.mapping;
}
