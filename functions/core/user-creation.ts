// The lease holder's work: create or adopt the contact, then create or adopt the conversation, then save the mapping.
// Every Chatwoot failure after a success saves what is already known, so a retry repeats nothing.
import { isChatwootError } from "./errors.js";
import type { InboundDeps } from "./inbound-deps.js";
import type { ContactProfile, ConversationSummary, Mapping } from "./ports.js";
import type { ResolveRequest, ResolvedUser } from "./users.js";

export async function createMapping(
  deps: InboundDeps,
  request: ResolveRequest,
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
      await save(deps, mapping, owner);
      return { mapping, contactCreated, conversationCreated: false, messageSent: false };
    }
  }
  if (!request.conversation) {
    await save(deps, mapping, owner);
    return { mapping, contactCreated, conversationCreated: false, messageSent: false };
  }
  if ((mapping.conversationUnknown || request.recover) && mapping.conversationId === undefined) {
    const latest = (await deps.chatwoot.listContactConversations(mapping.contactId))[0];
    if (isUsableConversation(deps, latest)) {
      mapping = {
        userId: mapping.userId,
        contactId: mapping.contactId,
        sourceId: mapping.sourceId,
        ...conversationFields(latest),
      };
      await save(deps, mapping, owner);
      return { mapping, contactCreated, conversationCreated: false, messageSent: false };
    }
  }
  try {
    const created = await createConversationHealing(deps, request, mapping, contactCreated);
    mapping = created.mapping;
    contactCreated = created.contactCreated;
    await save(deps, mapping, owner);
    return {
      mapping,
      contactCreated,
      conversationCreated: true,
      messageSent: request.message !== undefined,
      ...(created.messageId !== undefined ? { postedMessageId: created.messageId } : {}),
    };
  } catch (error) {
    // Keep the contact; flag an ambiguous conversation create so the next creator looks before creating.
    const ambiguous = isChatwootError(error, "timeout") || isChatwootError(error, "failed");
    const partial: Mapping = {
      userId: mapping.userId,
      contactId: mapping.contactId,
      sourceId: mapping.sourceId,
      ...(ambiguous ? { conversationUnknown: true } : {}),
    };
    if (contactCreated || ambiguous) await deps.store.saveMapping(partial, owner);
    throw error;
  }
}

/**
 * Creates the conversation (carrying the message). A 404 for a contact the mapping knew means it was deleted in
 * Chatwoot (e.g. an erasure request): create or adopt the contact again, once, and retry.
 */
async function createConversationHealing(
  deps: InboundDeps,
  request: ResolveRequest,
  mapping: Mapping,
  contactCreated: boolean,
): Promise<{ mapping: Mapping; contactCreated: boolean; messageId?: number }> {
  const attempt = async (contactId: number) =>
    deps.chatwoot.createConversation({
      contactId,
      sourceId: mapping.sourceId,
      ...(request.message ? { message: request.message } : {}),
    });
  let contactId = mapping.contactId;
  let created: Awaited<ReturnType<typeof attempt>>;
  try {
    created = await attempt(contactId);
  } catch (error) {
    if (contactCreated || !isChatwootError(error, "not_found")) throw error;
    const contact = await createOrAdoptContact(deps, request.userId, mapping.sourceId, request.profile);
    contactId = contact.contactId;
    contactCreated = contact.created;
    created = await attempt(contactId);
  }
  const next: Mapping = {
    userId: mapping.userId,
    contactId,
    sourceId: mapping.sourceId,
    conversationId: created.conversationId,
    conversationStatus: created.status,
  };
  return {
    mapping: next,
    contactCreated,
    ...(created.messageId !== undefined ? { messageId: created.messageId } : {}),
  };
}

function conversationFields(
  latest: ConversationSummary | undefined,
): Pick<Mapping, "conversationId" | "conversationStatus"> {
  return latest ? { conversationId: latest.conversationId, conversationStatus: latest.status } : {};
}

function isUsableConversation(
  deps: InboundDeps,
  conversation: ConversationSummary | undefined,
): conversation is ConversationSummary {
  return (
    conversation !== undefined &&
    (conversation.status !== "resolved" || deps.config.conversationAfterResolved === "reopen")
  );
}

async function save(deps: InboundDeps, mapping: Mapping, owner: string): Promise<void> {
  // A false here means our lease expired and another process took over; its write wins later.
  await deps.store.saveMapping(mapping, owner);
}

interface ContactOutcome {
  contactId: number;
  created: boolean;
  /** When adopted: the contact's latest conversation in the bridge's inbox. */
  latest?: ConversationSummary;
}

/** Contact create is not an upsert (CONTRACT.md §2.2): on 422 identifier, adopt Chatwoot's contact instead. */
async function createOrAdoptContact(
  deps: InboundDeps,
  userId: string,
  sourceId: string,
  profile: ContactProfile = {},
): Promise<ContactOutcome> {
  try {
    const { contactId } = await deps.chatwoot.createContact(userId, sourceId, profile);
    return { contactId, created: true };
  } catch (error) {
    if (!isChatwootError(error, "rejected") || !error.attributes.includes("identifier")) throw error;
  }
  const found = await deps.chatwoot.findContactByIdentifier(userId);
  if (!found) throw new Error("Chatwoot reported the identifier taken but the filter found no contact");
  await deps.chatwoot.ensureContactInbox(found.contactId, sourceId);
  if (Object.keys(profile).length > 0) await deps.chatwoot.updateContact(found.contactId, profile);
  const latest = (await deps.chatwoot.listContactConversations(found.contactId))[0];
  return { contactId: found.contactId, created: false, ...(latest ? { latest } : {}) };
}
