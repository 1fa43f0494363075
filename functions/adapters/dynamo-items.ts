// The mapping table's keys, and its items <-> records (docs/mapping-table.md). Items are read through schemas:
// a malformed item is a StoreError, never a half-typed record; attributes the records do not hold are left out.
import * as z from "zod/mini";
import type { MessageRecord, PostedMessage, UserRecord } from "../core/ports.js";
import { CONVERSATION_STATUSES, IDEMPOTENCY_STATES } from "../core/vocabulary.js";
import { StoreError } from "./dynamo-requests.js";

export type Item = Record<string, unknown>;

/** The default thread keeps the user's original key, so mappings written before threads still read. */
export const userKey = (userId: string, threadId?: string): string =>
  threadId === undefined ? `user#${userId}` : `thread#${JSON.stringify([userId, threadId])}`;
export const sourceKey = (sourceId: string): string => `src#${sourceId}`;
export const conversationKey = (conversationId: number): string => `conv#${conversationId}`;
/** JSON keeps the two ids apart whatever they contain: ("a#b","c") and ("a","b#c") differ. */
export const messageKey = (userId: string, messageId: string): string => `msg#${JSON.stringify([userId, messageId])}`;
export const onceKey = (key: string): string => `once#${key}`;

const userItem = z.object({
  userId: z.string(),
  threadId: z.optional(z.string()),
  threadIds: z.optional(z.union([z.set(z.string()), z.array(z.string())])),
  contactId: z.optional(z.int()),
  sourceId: z.optional(z.string()),
  conversationId: z.optional(z.int()),
  conversationStatus: z.optional(z.enum(CONVERSATION_STATUSES)),
  conversationUnknown: z.optional(z.boolean()),
  leaseOwner: z.optional(z.string()),
  leaseUntil: z.optional(z.int()),
});

const postedMessage = z.object({
  messageId: z.nullable(z.string()),
  chatwootMessageId: z.int(),
  conversationId: z.int(),
  contactId: z.int(),
  sourceId: z.string(),
});

const messageItem = z.object({
  userId: z.string(),
  messageId: z.string(),
  fingerprint: z.string(),
  state: z.enum(IDEMPOTENCY_STATES),
  expiresAt: z.int(),
  leaseOwner: z.optional(z.string()),
  leaseUntil: z.optional(z.int()),
  result: z.optional(postedMessage),
});

/** The conversation -> (user, thread) index, and the source_id -> user index. */
export const conversationItem = z.object({ userId: z.string(), threadId: z.optional(z.string()) });
/** A processed event key (claimOnce), deleted by TTL after `expiresAt` (epoch seconds). */
export const claimItem = z.object({ expiresAt: z.number() });

/** The item as `schema` reads it, or a StoreError naming the operation (never the item). */
export function readItem<T extends z.ZodMiniType>(schema: T, item: Item, operation = "read item"): z.output<T> {
  const parsed = schema.safeParse(item);
  if (!parsed.success) throw new StoreError(operation, "malformed_item");
  return parsed.data;
}

/**
 * `leaseOwner` stays on the item as the last holder (so a retried saveMapping still matches);
 * the lease is held only while `leaseUntil` is set, and only then is the owner reported.
 */
export function toUserRecord(item: Item): UserRecord {
  const { userId, threadId, threadIds, contactId, sourceId, leaseOwner, leaseUntil, ...conversation } = readItem(
    userItem,
    item,
  );
  const record: UserRecord = { userId, ...(threadId !== undefined ? { threadId } : {}) };
  if (threadIds !== undefined) record.threadIds = [...threadIds].sort();
  if (contactId !== undefined) {
    if (sourceId === undefined) throw new StoreError("read item", "malformed_item");
    record.mapping = { userId, ...(threadId !== undefined ? { threadId } : {}), contactId, sourceId, ...conversation };
  }
  if (leaseUntil !== undefined) {
    if (leaseOwner === undefined) throw new StoreError("read item", "malformed_item");
    record.leaseOwner = leaseOwner;
    record.leaseUntil = leaseUntil;
  }
  return record;
}

export function toMessageItem(record: MessageRecord): Item {
  const item: Item = {
    pk: messageKey(record.userId, record.messageId),
    userId: record.userId,
    messageId: record.messageId,
    fingerprint: record.fingerprint,
    state: record.state,
    expiresAt: record.expiresAt,
  };
  if (record.leaseOwner !== undefined) item.leaseOwner = record.leaseOwner;
  if (record.leaseUntil !== undefined) item.leaseUntil = record.leaseUntil;
  if (record.result !== undefined) item.result = toResultItem(record.result);
  return item;
}

export function toResultItem(result: PostedMessage): Item {
  return {
    messageId: result.messageId,
    chatwootMessageId: result.chatwootMessageId,
    conversationId: result.conversationId,
    contactId: result.contactId,
    sourceId: result.sourceId,
  };
}

export function toMessageRecord(item: Item): MessageRecord {
  return readItem(messageItem, item);
}
