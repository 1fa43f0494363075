// The mapping table's keys and the item <-> record conversion (docs/mapping-table.md).
// Items are read defensively: a malformed item is a StoreError, never a half-typed record.
import type { ConversationStatus, IdempotencyState, MessageRecord, PostedMessage, UserRecord } from "../core/ports.js";
import { StoreError } from "./dynamo-requests.js";

export type Item = Record<string, unknown>;

export const userKey = (userId: string): string => `user#${userId}`;
export const conversationKey = (conversationId: number): string => `conv#${conversationId}`;
/** JSON keeps the two ids apart whatever they contain: ("a#b","c") and ("a","b#c") differ. */
export const messageKey = (userId: string, messageId: string): string => `msg#${JSON.stringify([userId, messageId])}`;
export const onceKey = (key: string): string => `once#${key}`;

const STATUSES: readonly ConversationStatus[] = ["open", "resolved", "pending", "snoozed"];
const STATES: readonly IdempotencyState[] = ["pending", "unknown", "done"];

function malformed(): StoreError {
  return new StoreError("read item", "malformed_item");
}

function text(item: Item, name: string): string {
  const value = item[name];
  if (typeof value !== "string") throw malformed();
  return value;
}

function integer(item: Item, name: string): number {
  const value = item[name];
  if (typeof value !== "number" || !Number.isSafeInteger(value)) throw malformed();
  return value;
}

function bool(item: Item, name: string): boolean {
  const value = item[name];
  if (typeof value !== "boolean") throw malformed();
  return value;
}

function nullableText(item: Item, name: string): string | null {
  return item[name] === null ? null : text(item, name);
}

function optional<T>(item: Item, name: string, read: (item: Item, name: string) => T): T | undefined {
  return item[name] === undefined ? undefined : read(item, name);
}

function oneOf<T extends string>(allowed: readonly T[], value: string): T {
  const found = allowed.find((candidate) => candidate === value);
  if (found === undefined) throw malformed();
  return found;
}

/**
 * `leaseOwner` stays on the item as the last holder (so a retried saveMapping still matches);
 * the lease is held only while `leaseUntil` is set, and only then is the owner reported.
 */
export function toUserRecord(item: Item): UserRecord {
  const userId = text(item, "userId");
  const record: UserRecord = { userId };
  const contactId = optional(item, "contactId", integer);
  if (contactId !== undefined) {
    record.mapping = { userId, contactId, sourceId: text(item, "sourceId") };
    const conversationId = optional(item, "conversationId", integer);
    if (conversationId !== undefined) record.mapping.conversationId = conversationId;
    const status = optional(item, "conversationStatus", text);
    if (status !== undefined) record.mapping.conversationStatus = oneOf(STATUSES, status);
    const conversationUnknown = optional(item, "conversationUnknown", bool);
    if (conversationUnknown !== undefined) record.mapping.conversationUnknown = conversationUnknown;
  }
  const leaseUntil = optional(item, "leaseUntil", integer);
  if (leaseUntil !== undefined) {
    record.leaseOwner = text(item, "leaseOwner");
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
  const record: MessageRecord = {
    userId: text(item, "userId"),
    messageId: text(item, "messageId"),
    fingerprint: text(item, "fingerprint"),
    state: oneOf(STATES, text(item, "state")),
    expiresAt: integer(item, "expiresAt"),
  };
  const leaseOwner = optional(item, "leaseOwner", text);
  if (leaseOwner !== undefined) record.leaseOwner = leaseOwner;
  const leaseUntil = optional(item, "leaseUntil", integer);
  if (leaseUntil !== undefined) record.leaseUntil = leaseUntil;
  const result = item.result;
  if (result !== undefined) record.result = toPostedMessage(result);
  return record;
}

function toPostedMessage(value: unknown): PostedMessage {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw malformed();
  const item: Item = Object.fromEntries(Object.entries(value));
  return {
    messageId: nullableText(item, "messageId"),
    chatwootMessageId: integer(item, "chatwootMessageId"),
    conversationId: integer(item, "conversationId"),
    contactId: integer(item, "contactId"),
    sourceId: text(item, "sourceId"),
  };
}
