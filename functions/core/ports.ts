// The small interfaces the domain needs; adapters/ implements them for AWS and for the local runtime.

import type { MessagePage } from "./listed-message.js";
import type { ConversationStatus, IdempotencyState, ReplyMark } from "./vocabulary.js";

export type { ConversationStatus, IdempotencyState } from "./vocabulary.js";

/** Time as epoch milliseconds; injected so lease, TTL and timestamp rules are tested without waiting. */
export interface Clock {
  now(): number;
}

/** The bridge's record for one (user, thread) (spec §1 "mapping"); the default thread has no `threadId`. */
export interface Mapping {
  userId: string;
  /** Absent for the user's default thread, whose record also holds the contact. */
  threadId?: string;
  contactId: number;
  sourceId: string;
  conversationId?: number;
  conversationStatus?: ConversationStatus;
  /** A conversation create timed out: Chatwoot may hold a conversation the mapping does not know yet. */
  conversationUnknown?: boolean;
}

/** A (user, thread)'s item as stored: the mapping (once known) and the creation lease, if any. */
export interface UserRecord {
  userId: string;
  threadId?: string;
  mapping?: Mapping;
  /** On the default thread's record: the user's other threads, in the order they were first saved. */
  threadIds?: string[];
  leaseOwner?: string;
  /** Epoch ms after which another process may take over the creation work. */
  leaseUntil?: number;
}

/** A message's idempotency record, written before the Chatwoot call (issue #4 §4). */
export interface MessageRecord {
  userId: string;
  messageId: string;
  fingerprint: string;
  state: IdempotencyState;
  leaseOwner?: string;
  leaseUntil?: number;
  /** The response body once `done` (camelCase domain shape). */
  result?: PostedMessage;
  /** Epoch seconds, DynamoDB TTL. */
  expiresAt: number;
}

/** The (user, thread) a conversation belongs to. */
export interface ConversationOwner {
  userId: string;
  threadId?: string;
}

export interface PostedMessage {
  /** The client's message_id; null when it sent none (then the message is not idempotent). */
  messageId: string | null;
  chatwootMessageId: number;
  conversationId: number;
  contactId: number;
  sourceId: string;
}

/**
 * The mapping table. Every method is one DynamoDB request and safe across processes:
 * conditions, never in-process locks, decide races.
 */
export interface MappingStore {
  /** The (user, thread)'s record; without `threadId`, the default thread's, which also holds the contact. */
  getUser(userId: string, threadId?: string): Promise<UserRecord | undefined>;
  /** Creates the (user, thread)'s item if absent; takes the lease when free or expired. True when `owner` now holds it. */
  acquireUserLease(userId: string, owner: string, leaseUntil: number, now: number, threadId?: string): Promise<boolean>;
  /**
   * Writes the mapping of (mapping.userId, mapping.threadId), its conversation → (user, thread) index, the default
   * thread's source_id → user index, and frees the lease. False when `owner` lost the lease.
   */
  saveMapping(mapping: Mapping, owner: string): Promise<boolean>;
  releaseUserLease(userId: string, owner: string, threadId?: string): Promise<void>;
  /**
   * Names a thread on the user's default item before its first conversation is created, so GET /contacts lists it and
   * the webhook side sees a creation in flight (its lease) for a conversation it cannot map yet.
   */
  listThread(userId: string, threadId: string): Promise<void>;
  /** Webhook side: which (user, thread) a conversation belongs to. */
  findUserByConversation(conversationId: number): Promise<ConversationOwner | undefined>;
  /** Webhook side: the user whose contact_inbox has this source_id (one the bridge chose). */
  findUserBySourceId(sourceId: string): Promise<string | undefined>;
  /**
   * Webhook side: a conversation the bridge did not record becomes the current conversation of (mapping.userId,
   * mapping.threadId) (spec §4 "Whose conversation"); the contact fields are written only when it had none.
   */
  adoptConversation(mapping: Mapping & { conversationId: number }): Promise<void>;
  /** Webhook side: keeps the status current when the conversation is still the (user, thread)'s current one. */
  setConversationStatus(
    userId: string,
    conversationId: number,
    status: ConversationStatus,
    threadId?: string,
  ): Promise<void>;

  /** Writes a `pending` record held by `owner`, or returns the record that already exists. */
  beginMessage(record: MessageRecord): Promise<{ started: true } | { started: false; existing: MessageRecord }>;
  /** Takes over a `pending` record whose lease expired, or an `unknown` one. True when `owner` now holds it. */
  takeOverMessage(userId: string, messageId: string, owner: string, leaseUntil: number, now: number): Promise<boolean>;
  completeMessage(userId: string, messageId: string, owner: string, result: PostedMessage): Promise<void>;
  /** The outcome of the Chatwoot call is unknown: a retry must look the message up before posting. */
  markMessageUnknown(userId: string, messageId: string, owner: string): Promise<void>;
  /** Chatwoot certainly stored nothing: forget the record so a corrected retry is possible. */
  abandonMessage(userId: string, messageId: string, owner: string): Promise<void>;

  /** Records a processed event key once (webhook de-duplication beyond the queue's window). False when already there. */
  claimOnce(key: string, expiresAt: number): Promise<boolean>;
  /** Whether `claimOnce(key)` already happened (and has not expired). */
  isClaimed(key: string): Promise<boolean>;
}

export interface ContactProfile {
  name?: string;
  email?: string;
  phoneNumber?: string;
  avatarUrl?: string;
  customAttributes?: Record<string, unknown>;
}

export interface OutgoingAttachment {
  filename: string;
  contentType: string;
  data: Uint8Array;
}

/** A file the client names by URL (spec §3.3); `filename` and `contentType` override what the server says. */
export interface AttachmentSource {
  url: string;
  filename?: string;
  contentType?: string;
}

/** One attachment of a user's message as it arrives: bytes sent inline, or a URL still to download. */
export type InboundAttachment =
  | { kind: "inline"; file: OutgoingAttachment }
  | { kind: "url"; source: AttachmentSource };

/** The caps of one download, and the means to stop it. */
export interface DownloadLimits {
  /** Per-file cap in bytes. */
  maxBytes: number;
  /** Shared by one message's downloads: false when taking `bytes` more would exceed the message's total cap. */
  reserve(bytes: number): boolean;
  /** Aborted when a sibling download failed, so this one stops early. */
  signal: AbortSignal;
}

/**
 * Downloads a user's file from the internet, safely: https only, never to a private, loopback, link-local or
 * otherwise internal address (checked again on every redirect), within the caps. Every failure is an AttachmentError.
 */
export interface AttachmentFetcher {
  fetch(source: AttachmentSource, limits: DownloadLimits): Promise<OutgoingAttachment>;
}

/** A user's message as the bridge posts it: always `incoming`, with the bridge's deterministic source_id. */
export interface IncomingMessage {
  content?: string;
  sourceId: string;
  attachments?: OutgoingAttachment[];
  /** The quote (`in_reply_to`, `in_reply_to_external_id`) and `edited` (CONTRACT-addendum §A.2, spec §3.7). */
  contentAttributes?: Record<string, unknown>;
  /** When the user sent it on the external system (ISO 8601): Chatwoot's `external_created_at` (spec §3.3). */
  externalCreatedAt?: string;
}

/** A message as Chatwoot's list shows it, for marking the agent's messages read (spec §3.7 `messages.read`). */
export interface ChatwootMessageState {
  id: number;
  /** The list's integer message_type: 0 incoming, 1 outgoing, 2 activity, 3 template (CONTRACT.md §2.5). */
  messageType: number;
  status: string | null;
  private: boolean;
}

export interface ConversationSummary {
  conversationId: number;
  inboxId: number;
  status: ConversationStatus;
  lastActivityAt: number;
}

export interface ChatwootMessageSummary {
  id: number;
  sourceId: string | null;
}

/** The part of Chatwoot's Application API the bridge uses (CONTRACT.md §2). Every failure is a ChatwootError. */
export interface ChatwootApi {
  /** POST /contacts with inbox_id and source_id: contact and contact_inbox in one call. */
  createContact(identifier: string, sourceId: string, profile: ContactProfile): Promise<{ contactId: number }>;
  updateContact(contactId: number, profile: ContactProfile): Promise<void>;
  /** POST /contacts/filter, identifier equal_to (exact, case-insensitive): never the rate-limited substring search. */
  findContactByIdentifier(identifier: string): Promise<{ contactId: number } | undefined>;
  /** POST /contacts/{id}/contact_inboxes: idempotent for the same (contact, inbox, source_id). */
  ensureContactInbox(contactId: number, sourceId: string): Promise<void>;
  /** GET /contacts/{id}/conversations, narrowed to the bridge's inbox, newest first. */
  listContactConversations(contactId: number): Promise<ConversationSummary[]>;
  /** POST /conversations; with `message`, the first message is posted as `incoming` in the same call. */
  createConversation(input: {
    contactId: number;
    sourceId: string;
    message?: IncomingMessage;
  }): Promise<{ conversationId: number; status: ConversationStatus; messageId?: number }>;
  createMessage(conversationId: number, message: IncomingMessage): Promise<{ messageId: number }>;
  /** GET …/messages: the latest 20, or those before a message id. Oldest first. */
  listMessages(conversationId: number, options?: { before?: number }): Promise<ChatwootMessageSummary[]>;
  updateMessageStatus(
    conversationId: number,
    messageId: number,
    status: ReplyMark,
    externalError?: string,
  ): Promise<void>;
  /** GET …/messages?after=: up to 100 messages after `after`, ascending, with `meta.contact` (CONTRACT.md §2.5). */
  listMessagesAfter(conversationId: number, after: number): Promise<MessagePage>;
  /** GET …/messages (?before=): the 20 latest, or the 20 before a message id, ascending, read in full. */
  listMessagesBefore(conversationId: number, before?: number): Promise<MessagePage>;
  /** GET /inboxes/{id}: the API inbox's `inbox_identifier`, which names it in the Client API (CONTRACT.md §2.6). */
  inboxIdentifier(): Promise<string>;
  /** Client API `toggle_typing` as the contact of `sourceId` (CONTRACT.md §3, CONTRACT-addendum §A.4). */
  toggleContactTyping(sourceId: string, conversationId: number, on: boolean): Promise<void>;
  /** Client API `update_last_seen`: Chatwoot marks every non-incoming message read, asynchronously (§3). */
  updateContactLastSeen(sourceId: string, conversationId: number): Promise<void>;
  /** PATCH …/messages/{id} `{status: "read"}` (CONTRACT-addendum §A.4). */
  markMessageRead(conversationId: number, messageId: number): Promise<void>;
  /** DELETE …/messages/{id}: Chatwoot's soft delete (CONTRACT.md §2.5). */
  deleteMessage(conversationId: number, messageId: number): Promise<void>;
  /** GET …/messages?before=: the 20 messages before `before`, oldest first, with their type and status. */
  listMessageStates(conversationId: number, before: number): Promise<ChatwootMessageState[]>;
  /**
   * GET /conversations?inbox_id=&status=all&updated_within=: every conversation of the inbox updated within that
   * many seconds, unpaginated (CONTRACT-addendum §A.7).
   */
  listUpdatedConversations(withinSeconds: number): Promise<UpdatedConversation[]>;
}

/** A conversation as the catch-up sweep lists it: what changed last, and whose contact it is. */
export interface UpdatedConversation {
  conversationId: number;
  status: ConversationStatus;
  /** Chatwoot's `updated_at` (float seconds, microseconds): names the conversation's last change. */
  updatedAt: number;
  contactId?: number;
  identifier?: string;
  /** The contact_inbox's source_id, when the listing shows it (on the last message's push data). */
  sourceId?: string;
}

/** One queued webhook event (delivery queue body). */
export interface QueuedEvent {
  /** FIFO group: one conversation's events go out in order. */
  groupId: string;
  /** Same event, same id: Chatwoot re-sends one event under a new X-Chatwoot-Delivery. */
  deduplicationId: string;
  body: string;
}

export interface EventQueue {
  enqueue(event: QueuedEvent): Promise<void>;
}

/** What the delivery worker may do to a message it received: hide it until its next attempt is due. */
export interface QueueControl {
  /** ChangeMessageVisibility: the message becomes receivable again after `seconds` (0 = now). */
  setVisibility(receiptHandle: string, seconds: number): Promise<void>;
}

/** One delivery attempt of a signed body to the external system (spec §5). */
export interface DeliveryAttempt {
  /** `webhook-id`: stable for one event across all attempts. */
  webhookId: string;
  body: string;
}

export type DeliveryOutcome =
  | { kind: "delivered"; status: number }
  /** 410 Gone: stop retrying at once. */
  | { kind: "gone"; status: number }
  /** Non-2xx, timeout or refused connection: retry on the schedule. `reason` is safe to show an agent. */
  | { kind: "failed"; status?: number; reason: string };

export interface DeliverySender {
  send(attempt: DeliveryAttempt): Promise<DeliveryOutcome>;
}
