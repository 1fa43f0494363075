// DeliveryLedger on the mapping table (docs/mapping-table.md): one item per conversation (`dlv#conv#<id>`: cursor,
// status, one `mark_<message id>` attribute per pending mark) and one per delivery (`dlv#try#<key>`: attempts).
import { UpdateCommand, type DynamoDBDocumentClient, type UpdateCommandOutput } from "@aws-sdk/lib-dynamodb";
import * as z from "zod/mini";
import type { AttemptRecord, ConversationLedger, DeliveryLedger, PendingMark } from "../core/delivery-state-port.js";
import { CONVERSATION_STATUSES, type ConversationStatus } from "../core/vocabulary.js";
import { createDocumentClient, getByKey, guarded, namesIn, StoreError, type TableOptions } from "./dynamo-requests.js";
import { readItem, type Item } from "./dynamo-items.js";

const conversationKey = (conversationId: number): string => `dlv#conv#${conversationId}`;
const attemptsKey = (deliveryKey: string): string => `dlv#try#${deliveryKey}`;
const MARK_PREFIX = "mark_";

const ledgerItem = z.object({
  cursor: z.optional(z.number()),
  status: z.optional(z.enum(CONVERSATION_STATUSES)),
  statusAt: z.optional(z.number()),
});
const markItem = z.object({ status: z.enum(["delivered", "failed"]), externalError: z.optional(z.string()) });
const attemptsItem = z.object({
  attempts: z.optional(z.number()),
  lastReason: z.optional(z.string()),
  lastReasonAttempt: z.optional(z.number()),
});

export type DynamoDeliveryLedgerOptions = TableOptions;

export class DynamoDeliveryLedger implements DeliveryLedger {
  private readonly table: string;
  private readonly client: DynamoDBDocumentClient;

  constructor(options: DynamoDeliveryLedgerOptions) {
    this.table = options.tableName;
    this.client = options.client ?? createDocumentClient(options.endpoint);
  }

  async readConversation(conversationId: number): Promise<ConversationLedger> {
    const item = await this.read("read delivery cursor", conversationKey(conversationId));
    if (!item) return { marks: [] };
    const { cursor, status, statusAt } = readItem(ledgerItem, item, "read delivery cursor");
    const marks = Object.entries(item).flatMap(([name, value]): PendingMark[] => {
      const messageId = Number(name.slice(MARK_PREFIX.length));
      if (!name.startsWith(MARK_PREFIX) || !Number.isInteger(messageId)) return [];
      const mark = markItem.safeParse(value);
      if (!mark.success) throw new StoreError("read delivery cursor", "malformed_item");
      return [{ messageId, ...mark.data }];
    });
    return {
      ...(cursor !== undefined ? { cursor } : {}),
      ...(status !== undefined ? { status } : {}),
      ...(statusAt !== undefined ? { statusAt } : {}),
      marks: marks.sort((a, b) => a.messageId - b.messageId),
    };
  }

  async advanceCursor(conversationId: number, messageId: number): Promise<void> {
    // A failed condition means the cursor is already there or further: nothing to do.
    await this.update("advance delivery cursor", conversationKey(conversationId), {
      expression: "SET #cursor = :id",
      condition: "attribute_not_exists(#cursor) OR #cursor < :id",
      values: { ":id": messageId },
    });
  }

  async recordStatus(conversationId: number, status: ConversationStatus, statusAt: number | undefined): Promise<void> {
    const expression = statusAt === undefined ? "SET #status = :status" : "SET #status = :status, #statusAt = :at";
    await this.update("record conversation status", conversationKey(conversationId), {
      expression,
      values: { ":status": status, ...(statusAt === undefined ? {} : { ":at": statusAt }) },
    });
  }

  async savePendingMark(conversationId: number, mark: PendingMark): Promise<void> {
    const value = {
      status: mark.status,
      ...(mark.externalError !== undefined ? { externalError: mark.externalError } : {}),
    };
    await this.update("save pending mark", conversationKey(conversationId), {
      expression: `SET #${MARK_PREFIX}${mark.messageId} = :mark`,
      values: { ":mark": value },
    });
  }

  async clearPendingMark(conversationId: number, messageId: number): Promise<void> {
    await this.update("clear pending mark", conversationKey(conversationId), {
      expression: `REMOVE #${MARK_PREFIX}${messageId}`,
    });
  }

  async countAttempt(deliveryKey: string, expiresAt: number, limit: number): Promise<number | undefined> {
    const command = new UpdateCommand({
      TableName: this.table,
      Key: { pk: attemptsKey(deliveryKey) },
      UpdateExpression: "ADD #attempts :one SET #expiresAt = :expiresAt",
      ConditionExpression: "attribute_not_exists(#attempts) OR #attempts < :limit",
      ExpressionAttributeNames: { "#attempts": "attempts", "#expiresAt": "expiresAt" },
      ExpressionAttributeValues: { ":one": 1, ":expiresAt": expiresAt, ":limit": limit },
      ReturnValues: "UPDATED_NEW",
    });
    let answer: UpdateCommandOutput | undefined;
    const applied = await guarded("count delivery attempt", async () => {
      answer = await this.client.send(command);
    });
    // A failed condition: `limit` attempts were counted already.
    if (!applied) return undefined;
    return readItem(attemptsItem, answer?.Attributes ?? {}, "count delivery attempt").attempts ?? 1;
  }

  async readAttempts(deliveryKey: string): Promise<AttemptRecord> {
    const item = await this.read("read delivery attempts", attemptsKey(deliveryKey));
    const { attempts, lastReason, lastReasonAttempt } = readItem(attemptsItem, item ?? {}, "read delivery attempts");
    return {
      attempts: attempts ?? 0,
      ...(lastReason !== undefined ? { lastReason } : {}),
      ...(lastReasonAttempt !== undefined ? { lastReasonAttempt } : {}),
    };
  }

  async recordAttemptFailure(deliveryKey: string, attempt: number, reason: string): Promise<void> {
    await this.update("record attempt failure", attemptsKey(deliveryKey), {
      expression: "SET #lastReason = :reason, #lastReasonAttempt = :attempt",
      values: { ":reason": reason, ":attempt": attempt },
    });
  }

  private read(operation: string, pk: string): Promise<Item | undefined> {
    return getByKey(this.client, this.table, operation, pk);
  }

  private async update(
    operation: string,
    pk: string,
    update: { expression: string; condition?: string; values?: Record<string, unknown> },
  ): Promise<void> {
    const names = namesIn(update.expression, update.condition ?? "");
    const command = new UpdateCommand({
      TableName: this.table,
      Key: { pk },
      UpdateExpression: update.expression,
      ...(update.condition ? { ConditionExpression: update.condition } : {}),
      ExpressionAttributeNames: names,
      ...(update.values ? { ExpressionAttributeValues: update.values } : {}),
    });
    await guarded(operation, () => this.client.send(command));
  }
}
