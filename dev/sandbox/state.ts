// The sandbox's database: one account, its users, the API inbox, and every contact, contact_inbox,
// conversation, message and attachment, with Chatwoot's id sequences and per-account display ids.
import { randomBytes, randomUUID } from "node:crypto";
import { createMicroClock, type MicroClock } from "./time.js";
import type { Account, Attachment, Contact, ContactInbox, Conversation, Inbox, Message, User } from "./types.js";

/** Has_secure_token's 24 base58-ish characters. */
export function secureToken(): string {
  return randomBytes(18).toString("base64url").replace(/[-_]/g, "x").slice(0, 24);
}

// Sequences start apart, as in a long-lived instance, so a bridge that confuses a contact id with a
// conversation or message id fails here rather than in production.
const FIRST_ID = { contact: 101, contactInbox: 501, conversation: 9001, message: 20001, attachment: 70001 };
const SEQUENCES = ["contact", "contactInbox", "conversation", "message", "attachment", "displayId"] as const;

/** The next value of each id sequence and of the account's display ids. */
export type Sequences = Record<(typeof SEQUENCES)[number], number>;

export interface StateOptions {
  clock?: MicroClock;
  webhookUrl?: string | null;
  lockToSingleConversation?: boolean;
}

export class SandboxState {
  readonly clock: MicroClock;
  readonly account: Account = { id: 1, name: "Sandbox" };
  readonly admin: User;
  readonly agent: User;
  readonly inbox: Inbox;
  readonly contacts = new Map<number, Contact>();
  readonly contactInboxes = new Map<number, ContactInbox>();
  /** Read freely; write through addConversation / addMessage / removeConversation, which keep the indexes. */
  readonly conversations = new Map<number, Conversation>();
  readonly messages = new Map<number, Message>();
  readonly attachments = new Map<number, Attachment>();
  private readonly next: Sequences = { ...FIRST_ID, displayId: 1 };
  // Indexes, so lookups stay cheap when a benchmark fills the sandbox.
  private readonly byDisplayId = new Map<number, Conversation>();
  private readonly messagesByConversation = new Map<number, Message[]>();

  constructor(options: StateOptions = {}) {
    this.clock = options.clock ?? createMicroClock();
    const now = this.clock();
    this.admin = user(1, "Sandbox Admin", "admin@sandbox.example.com", "administrator");
    this.agent = user(2, "Sam Agent", "sam.agent@sandbox.example.com", "agent");
    this.inbox = {
      id: 1,
      accountId: 1,
      channelId: 1,
      name: "Bridge Inbox",
      channelType: "Channel::Api",
      webhookUrl: options.webhookUrl ?? null,
      secret: secureToken(),
      hmacToken: secureToken(),
      identifier: secureToken(),
      hmacMandatory: false,
      lockToSingleConversation: options.lockToSingleConversation ?? false,
      enableAutoAssignment: true,
      additionalAttributes: {},
      memberIds: [2],
      createdAt: now,
      updatedAt: now,
    };
  }

  users(): User[] {
    return [this.admin, this.agent];
  }

  userByToken(token: string): User | undefined {
    return this.users().find((candidate) => candidate.accessToken === token);
  }

  userById(id: number | null): User | undefined {
    return this.users().find((candidate) => candidate.id === id);
  }

  nextId(table: keyof typeof FIRST_ID): number {
    const id = this.next[table];
    this.next[table] += 1;
    return id;
  }

  nextDisplayId(): number {
    const id = this.next.displayId;
    this.next.displayId += 1;
    return id;
  }

  sequences(): Sequences {
    return { ...this.next };
  }

  /** Continues saved sequences after a restart; never moves one back, so no id is handed out twice. */
  continueSequences(saved: Sequences): void {
    for (const name of SEQUENCES) this.next[name] = Math.max(this.next[name], saved[name]);
  }

  inboxById(id: number): Inbox | undefined {
    return id === this.inbox.id ? this.inbox : undefined;
  }

  addConversation(conversation: Conversation): void {
    this.conversations.set(conversation.id, conversation);
    this.byDisplayId.set(conversation.displayId, conversation);
  }

  addMessage(message: Message): void {
    this.messages.set(message.id, message);
    const list = this.messagesByConversation.get(message.conversationId) ?? [];
    list.push(message);
    this.messagesByConversation.set(message.conversationId, list);
  }

  /** Removes the conversation and its messages (returned: their attachments are the caller's). */
  removeConversation(conversation: Conversation): Message[] {
    const removed = this.messagesByConversation.get(conversation.id) ?? [];
    for (const message of removed) this.messages.delete(message.id);
    this.messagesByConversation.delete(conversation.id);
    this.byDisplayId.delete(conversation.displayId);
    this.conversations.delete(conversation.id);
    return removed;
  }

  conversationByDisplayId(displayId: number): Conversation | undefined {
    return this.byDisplayId.get(displayId);
  }

  contactInboxBySource(inboxId: number, sourceId: string): ContactInbox | undefined {
    for (const record of this.contactInboxes.values()) {
      if (record.inboxId === inboxId && record.sourceId === sourceId) return record;
    }
    return undefined;
  }

  contactInboxesOf(contactId: number): ContactInbox[] {
    return [...this.contactInboxes.values()].filter((record) => record.contactId === contactId);
  }

  /** A conversation's messages in id order (a copy of the index). */
  messagesOf(conversation: Conversation): Message[] {
    return [...(this.messagesByConversation.get(conversation.id) ?? [])];
  }

  attachmentsOf(message: Message): Attachment[] {
    return [...this.attachments.values()].filter((attachment) => attachment.messageId === message.id);
  }

  conversationOf(message: Message): Conversation {
    return required(this.conversations.get(message.conversationId), "conversation");
  }

  contactOf(conversation: Conversation): Contact {
    return required(this.contacts.get(conversation.contactId), "contact");
  }

  contactInboxOf(conversation: Conversation): ContactInbox {
    return required(this.contactInboxes.get(conversation.contactInboxId), "contact_inbox");
  }

  newUuid(): string {
    return randomUUID();
  }
}

function user(id: number, name: string, email: string, role: User["role"]): User {
  return { id, name, email, role, accessToken: secureToken(), availabilityStatus: "online" };
}

/** Foreign keys are always set by the sandbox itself; a miss is a sandbox bug, not a client error. */
function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`sandbox state is inconsistent: missing ${what}`);
  return value;
}
