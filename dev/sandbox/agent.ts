// What a person does in the Chatwoot dashboard, as Sam Agent: reply (with a file or a location),
// private note, template (no sender), resolve/reopen, assign, delete, Retry, typing, a new conversation with a
// contact, a new contact. Conversation ids are display ids, as in the dashboard's URLs.
import { createUiContact, startConversation } from "./agent-conversations.js";
import { assignConversation, changeStatus } from "./conversation-updates.js";
import type { Core } from "./core.js";
import { agentDraft, validateDraft, type MessageDraft } from "./message-draft.js";
import { createMessage, deleteMessage, retryMessage, type Author } from "./messages.js";
import type { Contact, Conversation, ConversationStatus, Message, UploadedFile } from "./types.js";

export interface ReplyOptions {
  attachments?: UploadedFile[];
  location?: { lat: number; long: number; title?: string };
  /** The dashboard's "Reply to" on a message: `content_attributes.in_reply_to`, resolved as §A.2 says. */
  inReplyTo?: number;
  /** An interactive message (`input_select`, `cards`, `form`, `article`) with its `content_attributes.items`. */
  interactive?: { contentType: string; items: unknown[] };
}

export interface AgentActions {
  reply(conversationId: number, content: string | null, options?: ReplyOptions): Message;
  note(conversationId: number, content: string): Message;
  /** A template message with `sender: null`, like a greeting or CSAT survey. */
  template(conversationId: number, content: string): Message;
  resolve(conversationId: number): void;
  reopen(conversationId: number): void;
  setStatus(conversationId: number, status: ConversationStatus, snoozedUntilSeconds?: number): void;
  /** Assigns to a user (default Sam Agent), or unassigns with null. */
  assign(conversationId: number, userId?: number | null): void;
  deleteMessage(conversationId: number, messageId: number): Message;
  /** The Retry button on a failed message. */
  retryMessage(conversationId: number, messageId: number): Message;
  typing(conversationId: number, on: boolean, options?: { private?: boolean }): void;
  /** "New conversation" on a contact, with a first message (CONTRACT-addendum §A.1). Display id in the answer. */
  newConversation(contactId: number, content: string): Conversation;
  /** "New contact" in the dashboard: no contact_inbox yet; an identifier only when given. */
  newContact(input: { name: string; identifier?: string }): Contact;
}

export class AgentActionError extends Error {
  override readonly name = "AgentActionError";
}

export function createAgentActions(core: Core): AgentActions {
  const { state } = core;
  const agent = state.agent;
  const conversationOf = (displayId: number): Conversation => {
    const conversation = state.conversationByDisplayId(displayId);
    if (conversation === undefined) throw new AgentActionError(`conversation ${displayId} not found`);
    return conversation;
  };
  const messageOf = (displayId: number, messageId: number): Message => {
    const message = state.messages.get(messageId);
    if (message === undefined || message.conversationId !== conversationOf(displayId).id) {
      throw new AgentActionError(`message ${messageId} not found in conversation ${displayId}`);
    }
    return message;
  };
  const post = (displayId: number, draft: Partial<MessageDraft>, author: Author = { user: agent }): Message => {
    const conversation = conversationOf(displayId);
    const full = agentDraft(draft);
    validateDraft(full);
    // The agent has the conversation open while writing: everything before this is seen.
    if ("user" in author) conversation.agentLastSeenAt = state.clock();
    return { ...createMessage(core, conversation, full, author) };
  };
  return {
    reply: (id, content, options = {}) => {
      const spot = options.location;
      const location =
        spot === undefined ? undefined : { lat: spot.lat, long: spot.long, title: spot.title ?? "Location" };
      const contentAttributes = {
        ...(options.inReplyTo !== undefined ? { in_reply_to: options.inReplyTo } : {}),
        ...(options.interactive ? { items: structuredClone(options.interactive.items) } : {}),
      };
      const contentType = options.interactive?.contentType ?? "text";
      return post(id, { content, files: options.attachments ?? [], location, contentAttributes, contentType });
    },
    note: (id, content) => post(id, { content, private: true }),
    template: (id, content) => post(id, { content, messageType: "template" }, { system: true }),
    resolve: (id) => void changeStatus(core, conversationOf(id), "resolved", { actor: agent }),
    reopen: (id) => void changeStatus(core, conversationOf(id), "open", { actor: agent }),
    setStatus: (id, status, snoozedUntilSeconds) => {
      const snoozedUntil = snoozedUntilSeconds === undefined ? null : snoozedUntilSeconds * 1_000_000;
      changeStatus(core, conversationOf(id), status, { actor: agent, snoozedUntil });
    },
    assign: (id, userId = agent.id) => {
      const assignee = userId === null ? null : state.userById(userId);
      if (assignee === undefined) throw new AgentActionError(`user ${String(userId)} not found`);
      assignConversation(core, conversationOf(id), assignee, agent);
    },
    deleteMessage: (id, messageId) => {
      const message = messageOf(id, messageId);
      deleteMessage(core, message);
      return { ...message };
    },
    retryMessage: (id, messageId) => {
      const message = messageOf(id, messageId);
      retryMessage(core, message);
      return { ...message };
    },
    typing: (id, on, options = {}) => {
      const conversation = conversationOf(id);
      core.events.emit({
        event: on ? "conversation_typing_on" : "conversation_typing_off",
        conversationId: conversation.id,
        userId: agent.id,
        isPrivate: options.private ?? false,
      });
    },
    newConversation: (contactId, content) => {
      if (!state.contacts.has(contactId)) throw new AgentActionError(`contact ${contactId} not found`);
      return startConversation(core, contactId, content);
    },
    newContact: (input) => createUiContact(core, input),
  };
}
