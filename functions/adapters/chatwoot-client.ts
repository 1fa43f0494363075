// ChatwootApi over Chatwoot's Application API (CONTRACT.md §2). Reads only the fields the bridge needs.
import type { Config } from "../config.js";
import type {
  ChatwootApi,
  ChatwootMessageState,
  ChatwootMessageSummary,
  ContactProfile,
  ConversationSummary,
  IncomingMessage,
  UpdatedConversation,
} from "../core/ports.js";
import type { Deadline } from "../core/deadline.js";
import type { ReplyMark } from "../core/vocabulary.js";
import type { Metrics } from "../metrics.js";
import type { MessagePage } from "../core/listed-message.js";
import { readMessagePage } from "./chatwoot-message-list.js";
import { UPLOAD_BYTES_PER_SECOND } from "../time-budget.js";
import { contactBody, conversationBody, messageBody } from "./chatwoot-bodies.js";
import { callChatwoot, createChatwootHttp, type ChatwootCall, type ChatwootHttp } from "./chatwoot-http.js";
import {
  type ChatwootConversation,
  conversation,
  conversationIndex,
  createdContact,
  listedConversation,
  type ListedConversation,
  withId,
  filteredContact,
  firstMessageId,
  inboxAnswer,
  messageState,
  readAnswer,
  readList,
} from "./chatwoot-responses.js";

export interface ChatwootClientOptions {
  fetch?: typeof globalThis.fetch;
  /** The budget of one logical call, retries included. */
  budgetMs?: number;
  metrics?: Metrics;
  /** The invocation's end (compose/lambda-deadline.ts): every attempt and backoff ends before it. */
  deadline?: Deadline;
  /** Backoff jitter; tests pass a fixed one. */
  random?: () => number;
}

/** An upload's per-attempt timeout: CHATWOOT_TIMEOUT_MS plus its files' size at the planned rate (time-budget.ts). */
export function uploadTimeoutMs(timeoutMs: number, message: IncomingMessage | undefined): number {
  const bytes = (message?.attachments ?? []).reduce((sum, file) => sum + file.data.byteLength, 0);
  return timeoutMs + Math.ceil((bytes * 1000) / UPLOAD_BYTES_PER_SECOND);
}

export class ChatwootClient implements ChatwootApi {
  private readonly http: ChatwootHttp;
  private readonly inboxId: number;
  /** The public Client API (no token), for what only the contact can do (CONTRACT.md §3). */
  private readonly publicHttp: ChatwootHttp;
  /** The inbox identifier, read once per client (a cold start) and kept: it never changes for an inbox. */
  private identifier: Promise<string> | undefined;
  private readonly timeoutMs: number;

  constructor(
    config: Pick<
      Config,
      "chatwootBaseUrl" | "chatwootAccountId" | "chatwootInboxId" | "chatwootApiToken" | "chatwootTimeoutMs"
    >,
    options: ChatwootClientOptions = {},
  ) {
    if (!config.chatwootBaseUrl) throw new Error("CHATWOOT_BASE_URL is not set");
    const base = config.chatwootBaseUrl.href.replace(/\/+$/, "");
    this.inboxId = config.chatwootInboxId;
    this.timeoutMs = config.chatwootTimeoutMs;
    this.http = createChatwootHttp({
      baseUrl: `${base}/api/v1/accounts/${config.chatwootAccountId}`,
      token: config.chatwootApiToken,
      timeoutMs: config.chatwootTimeoutMs,
      budgetMs: options.budgetMs ?? config.chatwootTimeoutMs * 2,
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.metrics ? { metrics: options.metrics } : {}),
      ...(options.deadline ? { deadline: options.deadline } : {}),
      ...(options.random ? { random: options.random } : {}),
    });
    this.publicHttp = createChatwootHttp({
      baseUrl: `${base}/public/api/v1/inboxes`,
      timeoutMs: config.chatwootTimeoutMs,
      budgetMs: options.budgetMs ?? config.chatwootTimeoutMs * 2,
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.metrics ? { metrics: options.metrics } : {}),
      // The Client API's calls end before the invocation does, as the Application API's do.
      ...(options.deadline ? { deadline: options.deadline } : {}),
    });
  }

  private call(call: ChatwootCall): Promise<unknown> {
    return callChatwoot(this.http, call);
  }

  async createContact(identifier: string, sourceId: string, profile: ContactProfile): Promise<{ contactId: number }> {
    const body = { ...contactBody(profile), identifier, inbox_id: this.inboxId, source_id: sourceId };
    const data = await this.call({
      operation: "create contact",
      method: "POST",
      path: "/contacts",
      body,
      retry: "unavailable-only",
    });
    return { contactId: readAnswer(createdContact, data, "create contact").payload.contact.id };
  }

  async updateContact(contactId: number, profile: ContactProfile): Promise<void> {
    const body = contactBody(profile);
    if (Object.keys(body).length === 0) return;
    await this.call({
      operation: "update contact",
      method: "PATCH",
      path: `/contacts/${contactId}`,
      body,
      retry: "safe",
    });
  }

  async findContactByIdentifier(identifier: string): Promise<{ contactId: number } | undefined> {
    const body = {
      payload: [
        { attribute_key: "identifier", filter_operator: "equal_to", values: [identifier], query_operator: null },
      ],
    };
    const data = await this.call({
      operation: "filter contacts",
      method: "POST",
      path: "/contacts/filter",
      body,
      retry: "safe",
    });
    // Filter compares case-insensitively (CONTRACT.md §2.2); identifiers are case-sensitive, so match exactly here.
    const exact = readList(filteredContact, data).find((c) => c.identifier === identifier);
    return exact ? { contactId: readAnswer(withId, exact, "filter contacts").id } : undefined;
  }

  async ensureContactInbox(contactId: number, sourceId: string): Promise<void> {
    const body = { inbox_id: this.inboxId, source_id: sourceId };
    await this.call({
      operation: "create contact inbox",
      method: "POST",
      path: `/contacts/${contactId}/contact_inboxes`,
      body,
      retry: "safe",
    });
  }

  async listContactConversations(contactId: number): Promise<ConversationSummary[]> {
    const data = await this.call({
      operation: "list conversations",
      method: "GET",
      path: `/contacts/${contactId}/conversations`,
      retry: "safe",
    });
    return readList(conversation, data)
      .map(toSummary)
      .filter((c) => c.inboxId === this.inboxId)
      .sort((a, b) => b.lastActivityAt - a.lastActivityAt || b.conversationId - a.conversationId);
  }

  async createConversation(input: { contactId: number; sourceId: string; message?: IncomingMessage }) {
    const body = conversationBody({ inboxId: this.inboxId, ...input });
    const data = await this.call({
      operation: "create conversation",
      method: "POST",
      path: "/conversations",
      body,
      retry: "unavailable-only",
      timeoutMs: uploadTimeoutMs(this.timeoutMs, input.message),
    });
    const created = readAnswer(conversation, data, "create conversation");
    const messageId = input.message
      ? firstMessageId(created.messages, input.message.sourceId, "create conversation")
      : undefined;
    return { conversationId: created.id, status: created.status, ...(messageId ? { messageId } : {}) };
  }

  async createMessage(conversationId: number, message: IncomingMessage): Promise<{ messageId: number }> {
    const body = messageBody(message);
    const data = await this.call({
      operation: "create message",
      method: "POST",
      path: `/conversations/${conversationId}/messages`,
      body,
      retry: "unavailable-only",
      timeoutMs: uploadTimeoutMs(this.timeoutMs, message),
    });
    return { messageId: readAnswer(withId, data, "create message").id };
  }

  async listMessages(conversationId: number, options: { before?: number } = {}): Promise<ChatwootMessageSummary[]> {
    const { messages } = await this.listMessagesBefore(conversationId, options.before);
    return messages.map((m) => ({ id: m.id, sourceId: m.sourceId }));
  }

  async updateMessageStatus(
    conversationId: number,
    messageId: number,
    status: ReplyMark,
    externalError?: string,
  ): Promise<void> {
    const body = { status, ...(externalError !== undefined ? { external_error: externalError } : {}) };
    await this.call({
      operation: "update message status",
      method: "PATCH",
      path: `/conversations/${conversationId}/messages/${messageId}`,
      body,
      retry: "safe",
    });
  }

  async listMessagesAfter(conversationId: number, after: number): Promise<MessagePage> {
    return this.readMessages(conversationId, { after });
  }

  async listMessagesBefore(conversationId: number, before?: number): Promise<MessagePage> {
    return this.readMessages(conversationId, before === undefined ? undefined : { before });
  }

  private async readMessages(conversationId: number, query: Record<string, number> | undefined): Promise<MessagePage> {
    const data = await this.call({
      operation: "list messages",
      method: "GET",
      path: `/conversations/${conversationId}/messages`,
      ...(query ? { query } : {}),
      retry: "safe",
    });
    return readMessagePage(data);
  }

  inboxIdentifier(): Promise<string> {
    this.identifier ??= this.readInboxIdentifier().catch((error: unknown) => {
      // A failed read is tried again by the next call rather than remembered.
      this.identifier = undefined;
      throw error;
    });
    return this.identifier;
  }

  private async readInboxIdentifier(): Promise<string> {
    const data = await this.call({
      operation: "get inbox",
      method: "GET",
      path: `/inboxes/${this.inboxId}`,
      retry: "safe",
    });
    return readAnswer(inboxAnswer, data, "get inbox").inbox_identifier;
  }

  async toggleContactTyping(sourceId: string, conversationId: number, on: boolean): Promise<void> {
    await this.callPublic(sourceId, conversationId, "toggle typing", "/toggle_typing", {
      typing_status: on ? "on" : "off",
    });
  }

  async updateContactLastSeen(sourceId: string, conversationId: number): Promise<void> {
    await this.callPublic(sourceId, conversationId, "update last seen", "/update_last_seen", {});
  }

  private async callPublic(
    sourceId: string,
    conversationId: number,
    operation: string,
    suffix: string,
    body: Record<string, unknown>,
  ): Promise<void> {
    const identifier = await this.inboxIdentifier();
    const contact = encodeURIComponent(sourceId);
    await callChatwoot(this.publicHttp, {
      operation,
      method: "POST",
      path: `/${encodeURIComponent(identifier)}/contacts/${contact}/conversations/${conversationId}${suffix}`,
      body,
      // A late typing signal is worse than none (spec §3.7), and update_last_seen is cheap to send again.
      retry: "never",
    });
  }

  async markMessageRead(conversationId: number, messageId: number): Promise<void> {
    await this.call({
      operation: "update message status",
      method: "PATCH",
      path: `/conversations/${conversationId}/messages/${messageId}`,
      body: { status: "read" },
      retry: "safe",
    });
  }

  async deleteMessage(conversationId: number, messageId: number): Promise<void> {
    await this.call({
      operation: "delete message",
      method: "DELETE",
      path: `/conversations/${conversationId}/messages/${messageId}`,
      retry: "safe",
    });
  }

  async listMessageStates(conversationId: number, before: number): Promise<ChatwootMessageState[]> {
    const data = await this.call({
      operation: "list messages",
      method: "GET",
      path: `/conversations/${conversationId}/messages`,
      query: { before },
      retry: "safe",
    });
    return readList(messageState, data).map((m) => ({
      id: m.id,
      messageType: m.message_type,
      status: m.status,
      private: m.private,
    }));
  }
  async listUpdatedConversations(withinSeconds: number): Promise<UpdatedConversation[]> {
    const data = await this.call({
      operation: "list updated conversations",
      method: "GET",
      path: "/conversations",
      query: { inbox_id: this.inboxId, status: "all", updated_within: withinSeconds },
      retry: "safe",
    });
    const index = readAnswer(conversationIndex, data, "list updated conversations");
    return readList(listedConversation, { payload: index.data.payload })
      .filter((c) => c.inbox_id === this.inboxId)
      .map(toUpdated);
  }
}

function toUpdated(c: ListedConversation): UpdatedConversation {
  const sender = c.meta.sender;
  const sourceId = (c.last_non_activity_message ?? c.messages[0])?.conversation?.contact_inbox?.source_id;
  return {
    conversationId: c.id,
    status: c.status,
    updatedAt: c.updated_at,
    ...(sender?.id !== undefined ? { contactId: sender.id } : {}),
    ...(typeof sender?.identifier === "string" ? { identifier: sender.identifier } : {}),
    ...(sourceId !== undefined ? { sourceId } : {}),
  };
}

function toSummary(c: ChatwootConversation): ConversationSummary {
  return { conversationId: c.id, inboxId: c.inbox_id, status: c.status, lastActivityAt: c.last_activity_at };
}
