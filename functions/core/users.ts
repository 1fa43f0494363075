// resolveUser(): the user's contact and (when wanted) the usable conversation of one of its threads, each created at
// most once across processes. A conditional lease per (user, thread) decides who creates; the others wait for it.
import { BridgeError } from "./errors.js";
import { contactSourceId } from "./identity.js";
import { leaseMs, waitFor, type InboundDeps } from "./inbound-deps.js";
import type { Mapping, UserRecord } from "./ports.js";
import { createMapping, type CreationRequest, type ResolvedUser } from "./user-creation.js";

export type { ResolvedUser };

export interface ResolveRequest extends CreationRequest {
  /** Replace this conversation: Chatwoot answered 404 for it. */
  staleConversationId?: number;
  /** The user's record, read while the caller did other work; undefined when that read failed. */
  prefetched?: Promise<PrefetchedUser>;
}

export type PrefetchedUser = { record: UserRecord | undefined } | undefined;

function isUsable(deps: InboundDeps, mapping: Mapping | undefined, request: ResolveRequest): mapping is Mapping {
  if (!mapping) return false;
  if (!request.conversation) return true;
  if (mapping.conversationId === undefined || mapping.conversationUnknown) return false;
  if (mapping.conversationId === request.staleConversationId) return false;
  return mapping.conversationStatus !== "resolved" || deps.config.conversationAfterResolved === "reopen";
}

export async function resolveUser(deps: InboundDeps, request: ResolveRequest): Promise<ResolvedUser> {
  const { userId, threadId } = request;
  const unchanged = (mapping: Mapping): ResolvedUser => ({
    mapping,
    contactCreated: false,
    conversationCreated: false,
  });
  const known = request.prefetched ? await request.prefetched : undefined;
  const first = known ? known.record : await deps.store.getUser(userId, threadId);
  if (isUsable(deps, first?.mapping, request)) return unchanged(first.mapping);
  const resolved = await resolveUnusable(deps, request);
  // The user was unknown when we looked, so whoever made the contact may have raced us without our profile (another
  // process's first message): it reaches Chatwoot anyway. A thread's contact came through the default thread's call.
  const profile = request.profile ?? {};
  if (first?.mapping || threadId !== undefined || resolved.profileApplied || Object.keys(profile).length === 0)
    return resolved;
  await deps.chatwoot.updateContact(resolved.mapping.contactId, profile);
  return { ...resolved, profileApplied: true };
}

/** The lease-guarded part of resolveUser: the mapping read first was missing or not usable. */
async function resolveUnusable(deps: InboundDeps, request: ResolveRequest): Promise<ResolvedUser> {
  const { userId, threadId } = request;
  const unchanged = (mapping: Mapping): ResolvedUser => ({
    mapping,
    contactCreated: false,
    conversationCreated: false,
  });
  // Another thread's conversation needs the user's contact first: made at most once, under the default thread's lease.
  const contact =
    threadId === undefined
      ? undefined
      : await resolveUser(deps, {
          userId,
          conversation: false,
          ...(request.profile ? { profile: request.profile } : {}),
        });

  const resolved = await waitFor(deps, async (): Promise<{ owner: string } | { mapping: Mapping } | undefined> => {
    const owner = deps.newId();
    const now = deps.clock.now();
    if (await deps.store.acquireUserLease(userId, owner, now + leaseMs(deps), now, threadId)) {
      return { owner };
    }
    const current = (await deps.store.getUser(userId, threadId))?.mapping;
    return isUsable(deps, current, request) ? { mapping: current } : undefined;
  });
  if (!resolved) {
    throw new BridgeError("in_progress", "Another request is still setting up this user; retry shortly", {
      retryAfterSeconds: 2,
    });
  }
  if ("mapping" in resolved) return unchanged(resolved.mapping);

  const { owner } = resolved;
  try {
    // Someone may have finished between our read and our lease: re-read under the lease.
    const current = (await deps.store.getUser(userId, threadId))?.mapping;
    if (isUsable(deps, current, request)) {
      await deps.store.releaseUserLease(userId, owner, threadId);
      return unchanged(current);
    }
    // A thread's first conversation: listed before it is created (ports.ts listThread).
    if (current === undefined && threadId !== undefined) await deps.store.listThread(userId, threadId);
    const base = current ?? (contact && threadId !== undefined ? threadOf(contact.mapping, threadId) : undefined);
    const created = await createMapping(deps, request, base, owner, contactSourceId(userId));
    return contact?.contactCreated ? { ...created, contactCreated: true } : created;
  } catch (error) {
    await deps.store.releaseUserLease(userId, owner, threadId);
    throw error;
  }
}

/** A new thread's mapping starts from the user's contact, without the default thread's conversation. */
function threadOf(contact: Mapping, threadId: string): Mapping {
  return { userId: contact.userId, threadId, contactId: contact.contactId, sourceId: contact.sourceId };
}

/** resolveUser with a conversation, whose id the caller can then rely on. */
export async function resolveConversation(
  deps: InboundDeps,
  request: Omit<ResolveRequest, "conversation">,
): Promise<ResolvedUser & { conversationId: number }> {
  const resolved = await resolveUser(deps, { ...request, conversation: true });
  const { conversationId } = resolved.mapping;
  if (conversationId === undefined) throw new Error("resolveUser returned no conversation");
  return { ...resolved, conversationId };
}
