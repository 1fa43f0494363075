// MappingStore on one DynamoDB table (docs/mapping-table.md). Conditions decide every race; a failed
// condition is answered in the port's terms. Conditions also accept the caller's own earlier write,
// because the SDK retries a request whose answer was lost and must not turn success into "lost".
import { randomUUID } from "node:crypto";
import { DeleteCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type {
  ConversationOwner,
  ConversationStatus,
  Mapping,
  MappingStore,
  MessageRecord,
  PostedMessage,
  UserRecord,
} from "../core/ports.js";
import {
  claimItem,
  conversationItem,
  conversationKey,
  messageKey,
  onceKey,
  readItem,
  sourceKey,
  toMessageItem,
  toMessageRecord,
  toResultItem,
  toUserRecord,
  userKey,
  type Item,
} from "./dynamo-items.js";
import { adoptCommand, savedMappingUpdate, threadListCommand, type Update } from "./dynamo-mapping-updates.js";
import {
  StoreError,
  createDocumentClient,
  getByKey,
  guarded,
  namesIn,
  run,
  type TableOptions,
} from "./dynamo-requests.js";

/** beginMessage can lose to abandonMessage only while a holder keeps abandoning; a few rounds settle it. */
const BEGIN_ATTEMPTS = 3;

export type DynamoMappingStoreOptions = TableOptions;

export class DynamoMappingStore implements MappingStore {
  private readonly table: string;
  private readonly client: DynamoDBDocumentClient;

  constructor(options: DynamoMappingStoreOptions) {
    this.table = options.tableName;
    this.client = options.client ?? createDocumentClient(options.endpoint);
  }

  private read(operation: string, pk: string): Promise<Item | undefined> {
    return getByKey(this.client, this.table, operation, pk);
  }

  private async readMessage(userId: string, messageId: string): Promise<MessageRecord | undefined> {
    const item = await this.read("get message", messageKey(userId, messageId));
    return item && toMessageRecord(item);
  }

  /** One conditional UpdateItem: true when applied, false when the condition failed. */
  private update(operation: string, pk: string, { expression, condition, values }: Update): Promise<boolean> {
    const command = new UpdateCommand({
      TableName: this.table,
      Key: { pk },
      UpdateExpression: expression,
      ConditionExpression: condition,
      ExpressionAttributeNames: namesIn(expression, condition),
      ExpressionAttributeValues: values,
    });
    return guarded(operation, () => this.client.send(command));
  }

  async getUser(userId: string, threadId?: string): Promise<UserRecord | undefined> {
    const item = await this.read("get user", userKey(userId, threadId));
    return item && toUserRecord(item);
  }

  acquireUserLease(
    userId: string,
    owner: string,
    leaseUntil: number,
    now: number,
    threadId?: string,
  ): Promise<boolean> {
    const threadSet = threadId === undefined ? "" : ", #threadId = :threadId";
    return this.update("acquire user lease", userKey(userId, threadId), {
      expression: `SET #userId = :userId, #leaseOwner = :owner, #leaseUntil = :leaseUntil, #updatedAt = :now${threadSet}`,
      condition: "attribute_not_exists(#leaseUntil) OR #leaseUntil < :now OR #leaseOwner = :owner",
      values: {
        ":userId": userId,
        ":owner": owner,
        ":leaseUntil": leaseUntil,
        ":now": now,
        ...(threadId === undefined ? {} : { ":threadId": threadId }),
      },
    });
  }

  private async put(operation: string, item: Item): Promise<void> {
    await run(operation, () => this.client.send(new PutCommand({ TableName: this.table, Item: item })));
  }

  async saveMapping(mapping: Mapping, owner: string): Promise<boolean> {
    const { userId, threadId } = mapping;
    // conv# first: once the user's item names a conversation, its webhook events must find the user.
    if (mapping.conversationId !== undefined) {
      const thread = threadId === undefined ? {} : { threadId };
      await this.put("save conversation", { pk: conversationKey(mapping.conversationId), userId, ...thread });
    }
    // The default thread's source_id names the user even after a merge in Chatwoot (CONTRACT-addendum §A.5).
    if (threadId === undefined) await this.put("save source", { pk: sourceKey(mapping.sourceId), userId });
    const saved = await this.saveUserItem(mapping, owner);
    return saved;
  }

  private saveUserItem(mapping: Mapping, owner: string): Promise<boolean> {
    return this.update("save mapping", userKey(mapping.userId, mapping.threadId), savedMappingUpdate(mapping, owner));
  }

  async listThread(userId: string, threadId: string): Promise<void> {
    await run("list thread", () => this.client.send(threadListCommand(this.table, userId, threadId)));
  }

  async releaseUserLease(userId: string, owner: string, threadId?: string): Promise<void> {
    await this.update("release user lease", userKey(userId, threadId), {
      expression: "REMOVE #leaseUntil",
      condition: "#leaseOwner = :owner",
      values: { ":owner": owner },
    });
  }

  async findUserByConversation(conversationId: number): Promise<ConversationOwner | undefined> {
    const item = await this.read("find user by conversation", conversationKey(conversationId));
    return item && readItem(conversationItem, item, "find user by conversation");
  }

  async findUserBySourceId(sourceId: string): Promise<string | undefined> {
    const item = await this.read("find user by source", sourceKey(sourceId));
    return item && readItem(conversationItem, item, "find user by source").userId;
  }

  async adoptConversation(mapping: Mapping & { conversationId: number }): Promise<void> {
    const { userId, threadId, conversationId } = mapping;
    const thread = threadId === undefined ? {} : { threadId };
    await this.put("save conversation", { pk: conversationKey(conversationId), userId, ...thread });
    await run("adopt conversation", () => this.client.send(adoptCommand(this.table, mapping)));
  }

  async setConversationStatus(
    userId: string,
    conversationId: number,
    status: ConversationStatus,
    threadId?: string,
  ): Promise<void> {
    // A late event for an older conversation fails the condition and changes nothing.
    await this.update("set conversation status", userKey(userId, threadId), {
      expression: "SET #conversationStatus = :status",
      condition: "#conversationId = :conversationId",
      values: { ":status": status, ":conversationId": conversationId },
    });
  }

  async beginMessage(record: MessageRecord): Promise<{ started: true } | { started: false; existing: MessageRecord }> {
    const item = toMessageItem(record);
    const put = () =>
      this.client.send(
        new PutCommand({ TableName: this.table, Item: item, ConditionExpression: "attribute_not_exists(pk)" }),
      );
    for (let attempt = 0; attempt < BEGIN_ATTEMPTS; attempt++) {
      if (await guarded("begin message", put)) return { started: true };
      const existing = await this.readMessage(record.userId, record.messageId);
      // Gone again: its holder abandoned it between our two requests, so begin anew.
      if (existing === undefined) continue;
      // Our own write, retried by the SDK after its answer was lost (owners are unique per attempt).
      const ours =
        existing.state === "pending" && record.leaseOwner !== undefined && existing.leaseOwner === record.leaseOwner;
      return ours ? { started: true } : { started: false, existing };
    }
    throw new StoreError("begin message", "contended");
  }

  takeOverMessage(userId: string, messageId: string, owner: string, leaseUntil: number, now: number): Promise<boolean> {
    return this.update("take over message", messageKey(userId, messageId), {
      expression: "SET #state = :pending, #leaseOwner = :owner, #leaseUntil = :leaseUntil",
      condition: "#state = :unknown OR (#state = :pending AND (#leaseUntil < :now OR #leaseOwner = :owner))",
      values: { ":pending": "pending", ":unknown": "unknown", ":owner": owner, ":leaseUntil": leaseUntil, ":now": now },
    });
  }

  async completeMessage(userId: string, messageId: string, owner: string, result: PostedMessage): Promise<void> {
    await this.update("complete message", messageKey(userId, messageId), {
      expression: "SET #state = :done, #result = :result REMOVE #leaseOwner, #leaseUntil",
      condition: "#leaseOwner = :owner",
      values: { ":done": "done", ":result": toResultItem(result), ":owner": owner },
    });
  }

  async markMessageUnknown(userId: string, messageId: string, owner: string): Promise<void> {
    await this.update("mark message unknown", messageKey(userId, messageId), {
      expression: "SET #state = :unknown REMOVE #leaseOwner, #leaseUntil",
      condition: "#leaseOwner = :owner",
      values: { ":unknown": "unknown", ":owner": owner },
    });
  }

  async abandonMessage(userId: string, messageId: string, owner: string): Promise<void> {
    const condition = "#leaseOwner = :owner";
    const command = new DeleteCommand({
      TableName: this.table,
      Key: { pk: messageKey(userId, messageId) },
      ConditionExpression: condition,
      ExpressionAttributeNames: namesIn(condition),
      ExpressionAttributeValues: { ":owner": owner },
    });
    await guarded("abandon message", () => this.client.send(command));
  }

  async isClaimed(key: string): Promise<boolean> {
    const item = await this.read("is claimed", onceKey(key));
    return item !== undefined && readItem(claimItem, item, "is claimed").expiresAt >= nowSeconds();
  }

  claimOnce(key: string, expiresAt: number): Promise<boolean> {
    // TTL deletes up to days late, so an expired claim counts as absent; claimId recognises our own retried write.
    const claimId = randomUUID();
    const condition = "attribute_not_exists(pk) OR #expiresAt < :nowSeconds OR #claimId = :claimId";
    const command = new PutCommand({
      TableName: this.table,
      Item: { pk: onceKey(key), expiresAt, claimId },
      ConditionExpression: condition,
      ExpressionAttributeNames: namesIn(condition),
      ExpressionAttributeValues: { ":nowSeconds": nowSeconds(), ":claimId": claimId },
    });
    return guarded("claim once", () => this.client.send(command));
  }
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
