// The dashboard's contact page as Sam Agent: "New conversation" on a contact (CONTRACT-addendum §A.1) and a
// contact made by hand in the UI (no contact_inbox in the API inbox; an identifier only when typed in).
import { createContact } from "./contacts.js";
import { createConversation } from "./conversations.js";
import type { Core } from "./core.js";
import { agentDraft } from "./message-draft.js";
import type { Contact, Conversation } from "./types.js";

/**
 * composeConversationHelper.js posts {inbox_id, source_id, contact_id, message:{content}}; the source_id is the
 * contact's latest contact_inbox in the API inbox, else a new UUID (contactable_inboxes_service.rb).
 */
export function startConversation(core: Core, contactId: number, content: string): Conversation {
  const { state } = core;
  const latest = state
    .contactInboxesOf(contactId)
    .filter((record) => record.inboxId === state.inbox.id)
    .at(-1);
  const { conversation } = createConversation(
    core,
    {
      inboxId: state.inbox.id,
      contactId,
      sourceId: latest?.sourceId ?? state.newUuid(),
      assigneeId: state.agent.id,
      additionalAttributes: {},
      customAttributes: {},
      readMessage: () => agentDraft({ content }),
    },
    state.agent,
  );
  return { ...conversation };
}

/** "New contact" in the dashboard: no contact_inbox until a conversation is started. */
export function createUiContact(core: Core, input: { name: string; identifier?: string }): Contact {
  const { contact } = createContact(core, { name: input.name, identifier: input.identifier ?? null }, {});
  return { ...contact };
}
