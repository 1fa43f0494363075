// The lease holder's work: create or adopt the contact, then create or adopt the conversation, then save the mapping.
// Every Chatwoot failure after a success saves what is already known, so a retry repeats nothing.
import { conversationFields, createOrAdoptContact, isUsableConversation } from "./contact-adoption.js";
import { isChatwootError } from "./errors.js";
import type { InboundDeps } from "./inbound-deps.js";
import { findCarryingConversation, unmappedConversations } from "./message-lookup.js";
import type { ContactProfile, IncomingMessage, Mapping } from "./ports.js";

/** What the lease holder is asked to make exist. */
export interface CreationRequest {
  userId: string;
  /** Absent for the default thread. */
  threadId?: string;
  profile?: ContactProfile;
  /** Ensure a usable conversation too (policy CONVERSATION_AFTER_RESOLVED). */
  conversation: boolean;
  /** Goes out in the same call as a new conversation, so a new user's first message costs 2 Chatwoot calls. */
  carry?: IncomingMessage;
  /** The previous attempt's outcome is unknown: look in Chatwoot before creating a conversation. */
  recover?: boolean;
}

/** What resolving a user found or made, for the caller to read. */
export interface ResolvedUser {
  mapping: Mapping;
  contactCreated: boolean;
  conversationCreated: boolean;
  /** This request created or adopted the contact with the request's profile (nothing to apply afterwards). */
  profileApplied?: boolean;
  /** Present when `carry` went out with a new conversation: Chatwoot holds it, under this id when it said one. */
  carried?: { chatwootMessageId: number | undefined };
}

export async function createMapping(
  deps: InboundDeps,
  request: CreationRequest,
  existing: Mapping | undefined,
  owner: string,
  sourceId: string,
): Promise<ResolvedUser> {
  const resolved = await mapUser(deps, request, existing, owner, sourceId);
  // Without an existing mapping the contact was created or adopted here, with the request's profile.
  return existing ? resolved : { ...resolved, profileApplied: true };
}

async function mapUser(
  deps: InboundDeps,
  request: CreationRequest,
  existing: Mapping | undefined,
  owner: string,
  sourceId: string,
): Promise<ResolvedUser> {
  let contactCreated = false;
  let mapping: Mapping;
  if (existing) {
    mapping = existing;
  } else {
    const contact = await createOrAdoptContact(deps, request.userId, sourceId, request.profile);
    contactCreated = contact.created;
    mapping = { userId: request.userId, contactId: contact.contactId, sourceId, ...conversationFields(contact.latest) };
    if (!contact.created && request.conversation && isUsableConversation(deps, contact.latest)) {
      return await saved(deps, owner, mapping, contactCreated);
    }
  }
  if (!request.conversation) return await saved(deps, owner, mapping, contactCreated);
  const uncertain = (mapping.conversationUnknown || request.recover) && mapping.conversationId === undefined;
  if (uncertain) {
    // An earlier create may have made a conversation the mapping never heard of: adopt it rather than open another,
    // but never one another thread already maps (its replies would then be delivered as this thread's).
    const latest =
      mapping.threadId === undefined
        ? (await unmappedConversations(deps, mapping.contactId))[0]
        : request.carry && (await findCarryingConversation(deps, mapping.contactId, request.carry.sourceId));
    if (latest && isUsableConversation(deps, latest)) {
      return await saved(deps, owner, { ...contactFields(mapping), ...conversationFields(latest) }, contactCreated);
    }
  }
  return await openConversation(deps, request, mapping, owner, contactCreated);
}

/** Creates the conversation (carrying the message) and saves it; a failure saves what is known so far. */
async function openConversation(
  deps: InboundDeps,
  request: CreationRequest,
  known: Mapping,
  owner: string,
  contactCreated: boolean,
): Promise<ResolvedUser> {
  const create = (contactId: number) =>
    deps.chatwoot.createConversation({
      contactId,
      sourceId: known.sourceId,
      ...(request.carry ? { message: request.carry } : {}),
    });
  let contact = { contactId: known.contactId, created: contactCreated };
  try {
    let created: Awaited<ReturnType<typeof create>>;
    try {
      created = await create(contact.contactId);
    } catch (error) {
      // A 404 for a contact the mapping knew: it was deleted in Chatwoot (e.g. an erasure request). Heal once.
      if (contact.created || !isChatwootError(error, "not_found")) throw error;
      contact = await createOrAdoptContact(deps, request.userId, known.sourceId, request.profile);
      created = await create(contact.contactId);
    }
    const mapping: Mapping = {
      ...contactFields(known),
      contactId: contact.contactId,
      conversationId: created.conversationId,
      conversationStatus: created.status,
    };
    await deps.store.saveMapping(mapping, owner);
    return {
      mapping,
      contactCreated: contact.created,
      conversationCreated: true,
      ...(request.carry ? { carried: { chatwootMessageId: created.messageId } } : {}),
    };
  } catch (error) {
    // Keep the contact; flag an ambiguous conversation create so the next creator looks before creating.
    const ambiguous = isChatwootError(error, "timeout") || isChatwootError(error, "failed");
    // The contact is the one healing made when it did: the one the mapping knew is gone from Chatwoot.
    const partial: Mapping = {
      ...contactFields({ ...known, contactId: contact.contactId }),
      ...(ambiguous ? { conversationUnknown: true } : {}),
    };
    const contactChanged = contact.contactId !== known.contactId;
    if (contactCreated || contactChanged || ambiguous) await deps.store.saveMapping(partial, owner);
    throw error;
  }
}

async function saved(deps: InboundDeps, owner: string, mapping: Mapping, contactCreated: boolean) {
  // A false here means our lease expired and another process took over; its write wins later.
  await deps.store.saveMapping(mapping, owner);
  return { mapping, contactCreated, conversationCreated: false } satisfies ResolvedUser;
}

function contactFields(mapping: Mapping): Mapping {
  const thread = mapping.threadId === undefined ? {} : { threadId: mapping.threadId };
  return { userId: mapping.userId, ...thread, contactId: mapping.contactId, sourceId: mapping.sourceId };
}
