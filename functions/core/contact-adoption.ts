// Getting the user's contact into Chatwoot when the mapping has none: create it, or adopt the one Chatwoot already
// holds for the identifier (contact create is not an upsert, CONTRACT.md §2.2), with its latest conversation.
import { isChatwootError } from "./errors.js";
import type { InboundDeps } from "./inbound-deps.js";
import type { ContactProfile, ConversationSummary, Mapping } from "./ports.js";

export interface ContactOutcome {
  contactId: number;
  created: boolean;
  /** When adopted: the contact's latest conversation in the bridge's inbox. */
  latest?: ConversationSummary;
}

/** On 422 identifier, adopts Chatwoot's contact: its contact_inbox is ensured and the profile applied. */
export async function createOrAdoptContact(
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

export function conversationFields(
  latest: ConversationSummary | undefined,
): Pick<Mapping, "conversationId" | "conversationStatus"> {
  return latest ? { conversationId: latest.conversationId, conversationStatus: latest.status } : {};
}

/** A conversation new messages may go to under CONVERSATION_AFTER_RESOLVED. */
export function isUsableConversation(
  deps: InboundDeps,
  conversation: ConversationSummary | undefined,
): conversation is ConversationSummary {
  return (
    conversation !== undefined &&
    (conversation.status !== "resolved" || deps.config.conversationAfterResolved === "reopen")
  );
}
