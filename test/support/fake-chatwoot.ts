// A behavioural fake of the Chatwoot calls an inbound message makes: contacts (identifier unique: 422 on reuse,
// CONTRACT.md §2.2), conversations and messages with state, 404s for what was deleted, and failure knobs (fail the
// next call, optionally of one operation, before or after it stores). Every call is recorded by its operation name.
import { ChatwootError, type ChatwootFailureKind } from "../../functions/core/errors.js";
import { LISTED_MESSAGE_TYPES, type ListedMessage } from "../../functions/core/listed-message.js";
import type {
  ChatwootApi,
  ContactProfile,
  ConversationStatus,
  ConversationSummary,
  IncomingMessage,
  UpdatedConversation,
} from "../../functions/core/ports.js";

export type ChatwootOperation = keyof ChatwootApi;

export interface FakeContact {
  id: number;
  identifier: string;
  sourceIds: string[];
  profile: ContactProfile;
}

export interface FakeConversation {
  id: number;
  contactId: number;
  status: ConversationStatus;
  lastActivityAt: number;
}

export interface FakeMessage {
  id: number;
  conversationId: number;
  sourceId: string | null;
  /** Chatwoot's message_type: the bridge only posts incoming (0). */
  messageType: number;
  content: string | undefined;
  attachmentNames: string[];
  contentAttributes?: Record<string, unknown>;
  status?: string;
}

interface Failure {
  kind: ChatwootFailureKind;
  operation: ChatwootOperation | undefined;
  afterStore: boolean;
}

const STATUS: Record<ChatwootFailureKind, number | undefined> = {
  rejected: 422,
  not_found: 404,
  unavailable: 503,
  failed: 500,
  timeout: undefined,
};

export class FakeChatwoot implements ChatwootApi {
  readonly calls: ChatwootOperation[] = [];
  readonly contacts = new Map<number, FakeContact>();
  readonly conversations = new Map<number, FakeConversation>();
  readonly messages: FakeMessage[] = [];
  /** Like a Chatwoot whose conversation answer lacks the first message: the bridge must look it up. */
  omitCarriedMessageId = false;
  private readonly failures: Failure[] = [];
  private nextId = 1;

  constructor(private readonly inboxId = 1) {}

  /** The next call (of `operation`, when named) fails with `kind`; with `afterStore` it applies its write first. */
  failNext(kind: ChatwootFailureKind, options: { operation?: ChatwootOperation; afterStore?: boolean } = {}): void {
    this.failures.push({ kind, operation: options.operation, afterStore: options.afterStore ?? false });
  }

  /** A contact (and optionally a conversation) Chatwoot already holds, as if made before the bridge knew the user. */
  seedContact(identifier: string, conversation?: ConversationStatus): { contactId: number; conversationId?: number } {
    const contact = { id: this.nextId++, identifier, sourceIds: [], profile: {} };
    this.contacts.set(contact.id, contact);
    if (conversation === undefined) return { contactId: contact.id };
    return { contactId: contact.id, conversationId: this.openConversation(contact.id, conversation).id };
  }

  /** Deleting a contact deletes its conversations and their messages, as Chatwoot does. */
  deleteContact(contactId: number): void {
    this.contacts.delete(contactId);
    for (const conversation of [...this.conversations.values()]) {
      if (conversation.contactId === contactId) this.deleteConversation(conversation.id);
    }
  }

  deleteConversation(conversationId: number): void {
    this.conversations.delete(conversationId);
    for (let i = this.messages.length - 1; i >= 0; i--) {
      if (this.messages[i]?.conversationId === conversationId) this.messages.splice(i, 1);
    }
  }

  createContact = (identifier: string, sourceId: string, profile: ContactProfile) =>
    this.call("createContact", () => {
      if ([...this.contacts.values()].some((c) => c.identifier.toLowerCase() === identifier.toLowerCase())) {
        throw new ChatwootError({
          operation: "create contact",
          kind: "rejected",
          status: 422,
          attributes: ["identifier"],
        });
      }
      const contact = { id: this.nextId++, identifier, sourceIds: [sourceId], profile };
      this.contacts.set(contact.id, contact);
      return { contactId: contact.id };
    });

  updateContact = (contactId: number, profile: ContactProfile) =>
    this.call("updateContact", () => {
      this.contact(contactId).profile = { ...this.contact(contactId).profile, ...profile };
    });

  findContactByIdentifier = (identifier: string) =>
    this.call("findContactByIdentifier", () => {
      const found = [...this.contacts.values()].find((c) => c.identifier.toLowerCase() === identifier.toLowerCase());
      return found ? { contactId: found.id } : undefined;
    });

  ensureContactInbox = (contactId: number, sourceId: string) =>
    this.call("ensureContactInbox", () => {
      const contact = this.contact(contactId);
      if (!contact.sourceIds.includes(sourceId)) contact.sourceIds.push(sourceId);
    });

  listContactConversations = (contactId: number) =>
    this.call("listContactConversations", (): ConversationSummary[] => {
      this.contact(contactId);
      return [...this.conversations.values()]
        .filter((c) => c.contactId === contactId)
        .sort((a, b) => b.lastActivityAt - a.lastActivityAt)
        .map((c) => ({
          conversationId: c.id,
          inboxId: this.inboxId,
          status: c.status,
          lastActivityAt: c.lastActivityAt,
        }));
    });

  createConversation = (input: { contactId: number; sourceId: string; message?: IncomingMessage }) =>
    this.call("createConversation", () => {
      this.contact(input.contactId);
      const conversation = this.openConversation(input.contactId, "open");
      const messageId = input.message ? this.store(conversation, input.message).id : undefined;
      return {
        conversationId: conversation.id,
        status: conversation.status,
        ...(messageId !== undefined && !this.omitCarriedMessageId ? { messageId } : {}),
      };
    });

  createMessage = (conversationId: number, message: IncomingMessage) =>
    this.call("createMessage", () => {
      const conversation = this.conversation(conversationId);
      // An incoming message reopens a resolved conversation (CONTRACT.md §4.6).
      conversation.status = "open";
      return { messageId: this.store(conversation, message).id };
    });

  /** The latest 20, or the 20 before a message id; oldest first. */
  listMessages = (conversationId: number, options: { before?: number } = {}) =>
    this.call("listMessages", (): FakeMessage[] => {
      this.conversation(conversationId);
      const { before } = options;
      return this.messages
        .filter((m) => m.conversationId === conversationId && (before === undefined || m.id < before))
        .slice(-20);
    });

  updateMessageStatus = () => this.call("updateMessageStatus", () => undefined);

  /** Up to 100 after a message id, ascending (CONTRACT.md §2.5). */
  listMessagesAfter = (conversationId: number, after: number) =>
    this.call("listMessagesAfter", () => this.page(conversationId, (m) => m.id > after).slice(0, 100)).then(
      (messages) => ({ messages }),
    );

  listMessagesBefore = (conversationId: number, before?: number) =>
    this.call("listMessagesBefore", () =>
      this.page(conversationId, (m) => before === undefined || m.id < before).slice(-20),
    ).then((messages) => ({ messages }));

  private page(conversationId: number, keep: (m: FakeMessage) => boolean): ListedMessage[] {
    this.conversation(conversationId);
    return this.messagesIn(conversationId)
      .filter(keep)
      .map((m) => ({
        id: m.id,
        messageType: LISTED_MESSAGE_TYPES[m.messageType],
        private: false,
        sourceId: m.sourceId,
        status: "sent",
        deleted: false,
        content: m.content ?? null,
        contentType: "text",
        createdAt: 0,
        sender: null,
        attachments: [],
        ...(m.contentAttributes ? { contentAttributes: m.contentAttributes } : {}),
      }));
  }

  /** The contact's typing as the Client API saw it: [conversationId, on]. */
  readonly typing: Array<[number, boolean]> = [];
  readonly lastSeen: number[] = [];

  inboxIdentifier = () => this.call("inboxIdentifier", () => "fake-inbox-identifier");
  toggleContactTyping = (_sourceId: string, conversationId: number, on: boolean) =>
    this.call("toggleContactTyping", () => void this.typing.push([conversationId, on]));
  updateContactLastSeen = (_sourceId: string, conversationId: number) =>
    this.call("updateContactLastSeen", () => void this.lastSeen.push(conversationId));
  markMessageRead = (conversationId: number, messageId: number) =>
    this.call("markMessageRead", () => this.setMessage(conversationId, messageId, { status: "read" }));
  /** Soft delete: the message stays, marked deleted (CONTRACT.md §2.5). */
  deleteMessage = (conversationId: number, messageId: number) =>
    this.call("deleteMessage", () =>
      this.setMessage(conversationId, messageId, {
        content: "This message was deleted",
        contentAttributes: { deleted: true },
      }),
    );
  listMessageStates = (conversationId: number, before: number) =>
    this.call("listMessageStates", () =>
      this.messages
        .filter((m) => m.conversationId === conversationId && m.id < before)
        .slice(-20)
        .map((m) => ({ id: m.id, messageType: m.messageType, status: m.status ?? "sent", private: false })),
    );

  private setMessage(conversationId: number, messageId: number, change: Partial<FakeMessage>): void {
    const message = this.messages.find((m) => m.id === messageId && m.conversationId === conversationId);
    if (!message) throw new ChatwootError({ operation: "message", kind: "not_found", status: 404 });
    Object.assign(message, change);
  }
  /** What the catch-up sweep's listing answers; a test fills it (the window is not judged here). */
  readonly updatedConversations: UpdatedConversation[] = [];
  listUpdatedConversations = () =>
    this.call("listUpdatedConversations", () => this.updatedConversations.map((c) => ({ ...c })));

  messagesIn(conversationId: number): FakeMessage[] {
    return this.messages.filter((m) => m.conversationId === conversationId);
  }

  /** Yields once, as a network call does; then fails as planned or does the work. */
  private async call<T>(operation: ChatwootOperation, work: () => T): Promise<T> {
    await Promise.resolve();
    this.calls.push(operation);
    const index = this.failures.findIndex((f) => f.operation === undefined || f.operation === operation);
    const failure = index >= 0 ? this.failures.splice(index, 1)[0] : undefined;
    if (failure === undefined) return work();
    if (failure.afterStore) work();
    const status = STATUS[failure.kind];
    throw new ChatwootError({ operation, kind: failure.kind, ...(status !== undefined ? { status } : {}) });
  }

  private openConversation(contactId: number, status: ConversationStatus): FakeConversation {
    const conversation = { id: this.nextId++, contactId, status, lastActivityAt: this.nextId };
    this.conversations.set(conversation.id, conversation);
    return conversation;
  }

  private store(conversation: FakeConversation, message: IncomingMessage): FakeMessage {
    const stored = {
      id: this.nextId++,
      conversationId: conversation.id,
      sourceId: message.sourceId,
      messageType: 0,
      content: message.content,
      attachmentNames: (message.attachments ?? []).map((a) => a.filename),
      ...(message.contentAttributes ? { contentAttributes: message.contentAttributes } : {}),
    };
    this.messages.push(stored);
    conversation.lastActivityAt = this.nextId;
    return stored;
  }

  private contact(contactId: number): FakeContact {
    const contact = this.contacts.get(contactId);
    if (!contact) throw new ChatwootError({ operation: "contact", kind: "not_found", status: 404 });
    return contact;
  }

  private conversation(conversationId: number): FakeConversation {
    const conversation = this.conversations.get(conversationId);
    if (!conversation) throw new ChatwootError({ operation: "conversation", kind: "not_found", status: 404 });
    return conversation;
  }
}
