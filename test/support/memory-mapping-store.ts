// A behavioural in-memory MappingStore for domain unit tests: the DynamoDB adapter's semantics
// (mapping-store-contract.ts proves they agree), an injectable clock, and failure knobs.
import type {
  Clock,
  ConversationOwner,
  ConversationStatus,
  Mapping,
  MappingStore,
  MessageRecord,
  PostedMessage,
  UserRecord,
} from "../../functions/core/ports.js";
import { StoreError } from "../../functions/adapters/dynamo-requests.js";

interface StoredUser {
  userId: string;
  threadId?: string;
  mapping?: Mapping;
  threadIds?: Set<string>;
  /** The last holder, kept after release like the adapter does; the lease is held while leaseUntil is set. */
  leaseOwner?: string;
  leaseUntil?: number;
}

type Failure = "fail" | "lose_answer";

export class MemoryMappingStore implements MappingStore {
  private readonly clock: Clock;
  private readonly users = new Map<string, StoredUser>();
  private readonly conversations = new Map<number, ConversationOwner>();
  private readonly sources = new Map<string, string>();
  private readonly messages = new Map<string, MessageRecord>();
  private readonly claims = new Map<string, number>();
  private readonly failures: Failure[] = [];

  constructor(options: { clock?: Clock } = {}) {
    this.clock = options.clock ?? { now: () => Date.now() };
  }

  /** The next `count` calls throw a StoreError; with `loseAnswer` they apply their write first, like a lost response. */
  failNext(count: number, options: { loseAnswer?: boolean } = {}): void {
    for (let i = 0; i < count; i++) this.failures.push(options.loseAnswer ? "lose_answer" : "fail");
  }

  /** Yields once, as a network call does, then runs `work` atomically (DynamoDB applies one request atomically). */
  private async call<T>(operation: string, work: () => T): Promise<T> {
    await Promise.resolve();
    const failure = this.failures.shift();
    if (failure === undefined) return structuredClone(work());
    if (failure === "lose_answer") work();
    throw new StoreError(operation, "injected_failure");
  }

  getUser(userId: string, threadId?: string): Promise<UserRecord | undefined> {
    return this.call("get user", () => {
      const user = this.users.get(userKey(userId, threadId));
      if (user === undefined) return undefined;
      const record: UserRecord = { userId, ...(threadId !== undefined ? { threadId } : {}) };
      if (user.mapping) record.mapping = user.mapping;
      if (user.threadIds) record.threadIds = [...user.threadIds].sort();
      if (user.leaseUntil !== undefined && user.leaseOwner !== undefined) {
        record.leaseOwner = user.leaseOwner;
        record.leaseUntil = user.leaseUntil;
      }
      return record;
    });
  }

  acquireUserLease(
    userId: string,
    owner: string,
    leaseUntil: number,
    now: number,
    threadId?: string,
  ): Promise<boolean> {
    return this.call("acquire user lease", () => {
      const key = userKey(userId, threadId);
      const user = this.users.get(key) ?? { userId, ...(threadId !== undefined ? { threadId } : {}) };
      const free = user.leaseUntil === undefined || user.leaseUntil < now || user.leaseOwner === owner;
      if (!free) return false;
      this.users.set(key, { ...user, leaseOwner: owner, leaseUntil });
      return true;
    });
  }

  saveMapping(mapping: Mapping, owner: string): Promise<boolean> {
    return this.call("save mapping", () => {
      // Like the adapter, the conversation index is written first, even when the lease turns out lost.
      const { userId, threadId } = mapping;
      const thread = threadId !== undefined ? { threadId } : {};
      if (mapping.conversationId !== undefined) this.conversations.set(mapping.conversationId, { userId, ...thread });
      if (threadId === undefined) this.sources.set(mapping.sourceId, userId);
      const key = userKey(userId, threadId);
      const user = this.users.get(key);
      if (user?.leaseOwner !== owner) return false;
      const saved: Mapping = { userId, ...thread, contactId: mapping.contactId, sourceId: mapping.sourceId };
      if (mapping.conversationId !== undefined) saved.conversationId = mapping.conversationId;
      if (mapping.conversationStatus !== undefined) saved.conversationStatus = mapping.conversationStatus;
      if (mapping.conversationUnknown !== undefined) saved.conversationUnknown = mapping.conversationUnknown;
      this.users.set(key, { ...user, ...thread, mapping: saved, leaseOwner: owner });
      delete this.users.get(key)?.leaseUntil;
      return true;
    });
  }

  listThread(userId: string, threadId: string): Promise<void> {
    return this.call("list thread", () => {
      const head = this.users.get(userKey(userId)) ?? { userId };
      head.threadIds = new Set([...(head.threadIds ?? []), threadId]);
      this.users.set(userKey(userId), head);
    });
  }

  releaseUserLease(userId: string, owner: string, threadId?: string): Promise<void> {
    return this.call("release user lease", () => {
      const user = this.users.get(userKey(userId, threadId));
      if (user?.leaseOwner === owner) delete user.leaseUntil;
    });
  }

  findUserByConversation(conversationId: number): Promise<ConversationOwner | undefined> {
    return this.call("find user by conversation", () => this.conversations.get(conversationId));
  }

  findUserBySourceId(sourceId: string): Promise<string | undefined> {
    return this.call("find user by source", () => this.sources.get(sourceId));
  }

  adoptConversation(mapping: Mapping & { conversationId: number }): Promise<void> {
    return this.call("adopt conversation", () => {
      const { userId, threadId, conversationId } = mapping;
      const thread = threadId !== undefined ? { threadId } : {};
      this.conversations.set(conversationId, { userId, ...thread });
      const key = userKey(userId, threadId);
      const user = this.users.get(key) ?? { userId, ...thread };
      const known = user.mapping ?? { userId, contactId: mapping.contactId, sourceId: mapping.sourceId };
      const adopted: Mapping = {
        userId,
        ...thread,
        contactId: known.contactId,
        sourceId: known.sourceId,
        conversationId,
      };
      const status = mapping.conversationStatus ?? known.conversationStatus;
      if (status !== undefined) adopted.conversationStatus = status;
      this.users.set(key, { ...user, mapping: adopted });
    });
  }

  setConversationStatus(
    userId: string,
    conversationId: number,
    status: ConversationStatus,
    threadId?: string,
  ): Promise<void> {
    return this.call("set conversation status", () => {
      const mapping = this.users.get(userKey(userId, threadId))?.mapping;
      if (mapping?.conversationId === conversationId) mapping.conversationStatus = status;
    });
  }

  beginMessage(record: MessageRecord): Promise<{ started: true } | { started: false; existing: MessageRecord }> {
    return this.call("begin message", () => {
      const existing = this.messages.get(messageKey(record.userId, record.messageId));
      if (existing === undefined) {
        this.messages.set(messageKey(record.userId, record.messageId), structuredClone(record));
        return { started: true as const };
      }
      const ours =
        existing.state === "pending" && record.leaseOwner !== undefined && existing.leaseOwner === record.leaseOwner;
      return ours ? { started: true as const } : { started: false as const, existing };
    });
  }

  takeOverMessage(userId: string, messageId: string, owner: string, leaseUntil: number, now: number): Promise<boolean> {
    return this.call("take over message", () => {
      const record = this.messages.get(messageKey(userId, messageId));
      if (record === undefined) return false;
      const expired = record.leaseUntil !== undefined && record.leaseUntil < now;
      const free =
        record.state === "unknown" || (record.state === "pending" && (expired || record.leaseOwner === owner));
      if (!free) return false;
      Object.assign(record, { state: "pending", leaseOwner: owner, leaseUntil });
      return true;
    });
  }

  completeMessage(userId: string, messageId: string, owner: string, result: PostedMessage): Promise<void> {
    return this.settle("complete message", userId, messageId, owner, {
      state: "done",
      result: structuredClone(result),
    });
  }

  markMessageUnknown(userId: string, messageId: string, owner: string): Promise<void> {
    return this.settle("mark message unknown", userId, messageId, owner, { state: "unknown" });
  }

  private settle(
    operation: string,
    userId: string,
    messageId: string,
    owner: string,
    fields: Partial<MessageRecord>,
  ): Promise<void> {
    return this.call(operation, () => {
      const record = this.messages.get(messageKey(userId, messageId));
      if (record?.leaseOwner !== owner) return;
      Object.assign(record, fields);
      delete record.leaseOwner;
      delete record.leaseUntil;
    });
  }

  abandonMessage(userId: string, messageId: string, owner: string): Promise<void> {
    return this.call("abandon message", () => {
      const key = messageKey(userId, messageId);
      if (this.messages.get(key)?.leaseOwner === owner) this.messages.delete(key);
    });
  }

  claimOnce(key: string, expiresAt: number): Promise<boolean> {
    return this.call("claim once", () => {
      if (this.isLiveClaim(key)) return false;
      this.claims.set(key, expiresAt);
      return true;
    });
  }

  isClaimed(key: string): Promise<boolean> {
    return this.call("is claimed", () => this.isLiveClaim(key));
  }

  /** An expired claim counts as absent, as in the table where TTL deletes late. */
  private isLiveClaim(key: string): boolean {
    const expiresAt = this.claims.get(key);
    return expiresAt !== undefined && expiresAt >= Math.floor(this.clock.now() / 1000);
  }
}

/** Like the table: the default thread keeps the user's own key. */
function userKey(userId: string, threadId?: string): string {
  return threadId === undefined ? `user:${userId}` : `thread:${JSON.stringify([userId, threadId])}`;
}

function messageKey(userId: string, messageId: string): string {
  return JSON.stringify([userId, messageId]);
}
