// Attributes each Chatwoot call the bridge makes to the benchmark request that caused it: every call goes through
// a ChatwootClient (the bridge's own) whose fetch sends that request's tag as x-sandbox-tag. The sandbox records
// the tag with the call's time (dev/sandbox/call-timings.ts), so sandbox time is known per request. No
// AsyncLocalStorage: it would turn on promise hooks for the whole process and slow the bridge being measured.
import { TAG_HEADER } from "../dev/sandbox/call-timings.js";
import type { Config } from "../functions/config.js";
import { ChatwootClient } from "../functions/adapters/chatwoot-client.js";
import type { ChatwootApi, ContactProfile, IncomingMessage } from "../functions/core/ports.js";
import { messageSourceId } from "../functions/core/identity.js";

/** A fetch that adds the tag and changes nothing else. */
function taggingFetch(tag: string): typeof globalThis.fetch {
  return (input, init) => {
    const headers = new Headers(init?.headers);
    headers.set(TAG_HEADER, tag);
    return globalThis.fetch(input, { ...init, headers });
  };
}

/** Which benchmark request a call belongs to, found from what the bridge passes to Chatwoot. */
export class RequestTags {
  private readonly byUser = new Map<string, string>();
  private readonly bySourceId = new Map<string, string>();

  /** A user's contact is created by their first planned message; every message is found by its source_id. */
  plan(userId: string, messageId: string, tag: string): void {
    if (!this.byUser.has(userId)) this.byUser.set(userId, tag);
    this.bySourceId.set(messageSourceId(userId, messageId), tag);
  }

  ofUser(userId: string): string | undefined {
    return this.byUser.get(userId);
  }

  ofMessage(message: IncomingMessage | undefined): string | undefined {
    return message === undefined ? undefined : this.bySourceId.get(message.sourceId);
  }
}

/** Calls that carry neither a user id nor a message (by contact or conversation id) stay untagged. */
export class TaggedChatwoot implements ChatwootApi {
  private readonly untagged: ChatwootClient;

  constructor(
    private readonly config: Config,
    private readonly tags: RequestTags,
  ) {
    this.untagged = new ChatwootClient(config);
  }

  /** A client per call is cheap: its constructor only joins the base URL. */
  private via(tag: string | undefined): ChatwootApi {
    return tag === undefined ? this.untagged : new ChatwootClient(this.config, { fetch: taggingFetch(tag) });
  }

  createContact(identifier: string, sourceId: string, profile: ContactProfile) {
    return this.via(this.tags.ofUser(identifier)).createContact(identifier, sourceId, profile);
  }
  updateContact(contactId: number, profile: ContactProfile) {
    return this.untagged.updateContact(contactId, profile);
  }
  findContactByIdentifier(identifier: string) {
    return this.via(this.tags.ofUser(identifier)).findContactByIdentifier(identifier);
  }
  ensureContactInbox(contactId: number, sourceId: string) {
    return this.untagged.ensureContactInbox(contactId, sourceId);
  }
  listContactConversations(contactId: number) {
    return this.untagged.listContactConversations(contactId);
  }
  createConversation(input: Parameters<ChatwootApi["createConversation"]>[0]) {
    return this.via(this.tags.ofMessage(input.message)).createConversation(input);
  }
  createMessage(conversationId: number, message: IncomingMessage) {
    return this.via(this.tags.ofMessage(message)).createMessage(conversationId, message);
  }
  listMessages(conversationId: number, options?: { before?: number }) {
    return this.untagged.listMessages(conversationId, options);
  }
  updateMessageStatus(
    conversationId: number,
    messageId: number,
    status: "delivered" | "failed",
    externalError?: string,
  ) {
    return this.untagged.updateMessageStatus(conversationId, messageId, status, externalError);
  }
  listMessagesAfter(conversationId: number, after: number) {
    return this.untagged.listMessagesAfter(conversationId, after);
  }
  listMessagesBefore(conversationId: number, before?: number) {
    return this.untagged.listMessagesBefore(conversationId, before);
  }
  inboxIdentifier() {
    return this.untagged.inboxIdentifier();
  }
  toggleContactTyping(sourceId: string, conversationId: number, on: boolean) {
    return this.untagged.toggleContactTyping(sourceId, conversationId, on);
  }
  updateContactLastSeen(sourceId: string, conversationId: number) {
    return this.untagged.updateContactLastSeen(sourceId, conversationId);
  }
  markMessageRead(conversationId: number, messageId: number) {
    return this.untagged.markMessageRead(conversationId, messageId);
  }
  deleteMessage(conversationId: number, messageId: number) {
    return this.untagged.deleteMessage(conversationId, messageId);
  }
  listMessageStates(conversationId: number, before: number) {
    return this.untagged.listMessageStates(conversationId, before);
  }
  listUpdatedConversations(withinSeconds: number) {
    return this.untagged.listUpdatedConversations(withinSeconds);
  }
}
