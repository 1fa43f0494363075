// MessageIndex on the mapping table (docs/mapping-table.md): a user's message as `cwsrc#<source_id>`, an agent's as
// `cwmsg#<chatwoot id>`. One put per message, of the same values each time, so a repeat (a retry, a redelivery)
// changes nothing.
import { PutCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import * as z from "zod/mini";
import type { IndexedMessage, MessageIndex } from "../core/message-index-port.js";
import { readItem } from "./dynamo-items.js";
import { createDocumentClient, getByKey, run, type TableOptions } from "./dynamo-requests.js";

export const chatwootMessageKey = (id: number): string => `cwmsg#${id}`;
export const messageSourceKey = (sourceId: string): string => `cwsrc#${sourceId}`;

const indexedItem = z.object({
  conversationId: z.int(),
  chatwootMessageId: z.int(),
  user: z.optional(z.object({ userId: z.string(), messageId: z.string(), sourceId: z.string() })),
});

export type DynamoMessageIndexOptions = TableOptions;

export class DynamoMessageIndex implements MessageIndex {
  private readonly table: string;
  private readonly client: DynamoDBDocumentClient;

  constructor(options: DynamoMessageIndexOptions) {
    this.table = options.tableName;
    this.client = options.client ?? createDocumentClient(options.endpoint);
  }

  async record(message: IndexedMessage): Promise<void> {
    const pk = message.user ? messageSourceKey(message.user.sourceId) : chatwootMessageKey(message.chatwootMessageId);
    const item = {
      pk,
      conversationId: message.conversationId,
      chatwootMessageId: message.chatwootMessageId,
      ...(message.user ? { user: message.user } : {}),
    };
    await run("index message", () => this.client.send(new PutCommand({ TableName: this.table, Item: item })));
  }

  findByChatwootId(chatwootMessageId: number): Promise<IndexedMessage | undefined> {
    return this.read(chatwootMessageKey(chatwootMessageId));
  }

  findBySourceId(sourceId: string): Promise<IndexedMessage | undefined> {
    return this.read(messageSourceKey(sourceId));
  }

  private async read(pk: string): Promise<IndexedMessage | undefined> {
    const item = await getByKey(this.client, this.table, "find indexed message", pk);
    if (!item) return undefined;
    const { user, ...rest } = readItem(indexedItem, item, "find indexed message");
    return user ? { ...rest, user } : rest;
  }
}
