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
  const record = await deps.store.getUser(userId);
  const existing = record?.mapping;
  if (existing) {
    if (Object.keys(profile).length > 0) await deps.chatwoot.updateContact(existing.contactId, profile);
    return { mapping: existing, created: false };
  }
  // The same read: a contact another request makes from now on is one resolveUser applies the profile to.
  const prefetched = Promise.resolve({ record });
  const resolved = await resolveUser(deps, { userId, profile, conversation: false, prefetched });
  return { mapping: resolved.mapping, created: resolved.contactCreated };
}

/**
 * Get the current conversation of the user's thread (default thread without `threadId`; per
 * CONVERSATION_AFTER_RESOLVED) or open one, creating the contact on the way.
 */
export async function ensureConversation(
  deps: InboundDeps,
  userId: string,
  options: { profile?: ContactProfile; threadId?: string } = {},
): Promise<Ensured> {
  const resolved = await resolveConversation(deps, { userId, ...options });
  return { mapping: resolved.mapping, created: resolved.conversationCreated };
}

/** The stored mapping of the default thread, or undefined for a user the bridge has not mapped. */
export async function readMapping(deps: Pick<InboundDeps, "store">, userId: string): Promise<Mapping | undefined> {
  return (await deps.store.getUser(userId))?.mapping;
}

/** The default thread's mapping with every other thread's (spec §3.4), or undefined for an unmapped user. */
export async function readThreads(
  deps: Pick<InboundDeps, "store">,
  userId: string,
): Promise<{ mapping: Mapping; threads: Mapping[] } | undefined> {
  const record = await deps.store.getUser(userId);
  if (!record?.mapping) return undefined;
  const others = await Promise.all((record.threadIds ?? []).map((threadId) => deps.store.getUser(userId, threadId)));
  const threads = others.flatMap((other) => (other?.mapping ? [other.mapping] : []));
  return { mapping: record.mapping, threads };
}
