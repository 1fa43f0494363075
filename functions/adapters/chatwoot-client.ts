// ChatwootApi over Chatwoot's Application API (CONTRACT.md §2). Reads only the fields the bridge needs.
import type { Config } from "../config.js";
import { ChatwootError } from "../core/errors.js";
import type {
  ChatwootApi,
  ChatwootMessageSummary,
  ContactProfile,
  ConversationStatus,
  ConversationSummary,
  IncomingMessage,
} from "../core/ports.js";
import { callChatwoot, isRecord, type ChatwootCall, type HttpOptions } from "./chatwoot-http.js";
import { contactBody, conversationBody, messageBody } from "./chatwoot-bodies.js";

export interface ChatwootClientOptions {
  fetch?: typeof globalThis.fetch;
  /** The budget of one logical call, retries included. */
  budgetMs?: number;
}

const STATUSES: ConversationStatus[] = ["open", "resolved", "pending", "snoozed"];

export class ChatwootClient implements ChatwootApi {
  private readonly http: HttpOptions;
  private readonly inboxId: number;

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
    this.http = {
      baseUrl: `${base}/api/v1/accounts/${config.chatwootAccountId}`,
      token: config.chatwootApiToken,
      timeoutMs: config.chatwootTimeoutMs,
      budgetMs: options.budgetMs ?? config.chatwootTimeoutMs * 2,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    };
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
    const payload = field(data, "payload");
    return { contactId: numberField(field(payload, "contact"), "id", "create contact") };
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
    const contacts = arrayField(data, "payload");
    // Filter compares case-insensitively (CONTRACT.md §2.2); identifiers are case-sensitive, so match exactly here.
    const exact = contacts.find((c) => isRecord(c) && c.identifier === identifier);
    return exact ? { contactId: numberField(exact, "id", "filter contacts") } : undefined;
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
    return arrayField(data, "payload")
      .map((c) => toConversation(c))
      .filter((c): c is ConversationSummary => c !== undefined && c.inboxId === this.inboxId)
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
    });
    const conversation = toConversation(data);
    if (!conversation) throw malformed("create conversation");
    const first = arrayField(data, "messages")[0];
    const messageId =
      input.message && isRecord(first) && first.source_id === input.message.sourceId
        ? numberField(first, "id", "create conversation")
        : undefined;
    return {
      conversationId: conversation.conversationId,
      status: conversation.status,
      ...(messageId ? { messageId } : {}),
    };
  }

  async createMessage(conversationId: number, message: IncomingMessage): Promise<{ messageId: number }> {
    const body = messageBody(message);
    const data = await this.call({
      operation: "create message",
      method: "POST",
      path: `/conversations/${conversationId}/messages`,
      body,
      retry: "unavailable-only",
    });
    return { messageId: numberField(data, "id", "create message") };
  }

  async listMessages(conversationId: number, options: { before?: number } = {}): Promise<ChatwootMessageSummary[]> {
    const query = options.before ? { before: options.before } : undefined;
    const data = await this.call({
      operation: "list messages",
      method: "GET",
      path: `/conversations/${conversationId}/messages`,
      ...(query ? { query } : {}),
      retry: "safe",
    });
    return arrayField(data, "payload").flatMap((m) =>
      isRecord(m) && typeof m.id === "number"
        ? [
            {
              id: m.id,
              sourceId: typeof m.source_id === "string" ? m.source_id : null,
              messageType: typeof m.message_type === "number" ? m.message_type : -1,
            },
          ]
        : [],
    );
  }

  async updateMessageStatus(
    conversationId: number,
    messageId: number,
    status: "delivered" | "failed",
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
}

function toConversation(value: unknown): ConversationSummary | undefined {
  if (!isRecord(value) || typeof value.id !== "number" || typeof value.inbox_id !== "number") return undefined;
  const status = STATUSES.find((s) => s === value.status) ?? "open";
  const lastActivityAt = typeof value.last_activity_at === "number" ? value.last_activity_at : 0;
  return { conversationId: value.id, inboxId: value.inbox_id, status, lastActivityAt };
}

function field(value: unknown, key: string): unknown {
  return isRecord(value) ? value[key] : undefined;
}

function arrayField(value: unknown, key: string): unknown[] {
  const found = field(value, key);
  return Array.isArray(found) ? found : [];
}

function numberField(value: unknown, key: string, operation: string): number {
  const found = field(value, key);
  if (typeof found !== "number") throw malformed(operation);
  return found;
}

function malformed(operation: string): ChatwootError {
  return new ChatwootError({ operation, kind: "failed", reason: "unexpected response shape" });
}
