// SweepStore on the mapping table: one item, `sweep#position`, where the catch-up sweep resumes its pass.
import { PutCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import * as z from "zod/mini";
import type { SweepPosition, SweepStore } from "../core/sweep-port.js";
import { readItem } from "./dynamo-items.js";
import { createDocumentClient, getByKey, run, type TableOptions } from "./dynamo-requests.js";

const POSITION_KEY = "sweep#position";
const positionItem = z.object({ afterConversationId: z.int() });

export class DynamoSweepStore implements SweepStore {
  private readonly table: string;
  private readonly client: DynamoDBDocumentClient;

  constructor(options: TableOptions) {
    this.table = options.tableName;
    this.client = options.client ?? createDocumentClient(options.endpoint);
  }

  async readPosition(): Promise<SweepPosition | undefined> {
    const item = await getByKey(this.client, this.table, "read sweep position", POSITION_KEY);
    if (!item) return undefined;
    return { afterConversationId: readItem(positionItem, item, "read sweep position").afterConversationId };
  }

  async savePosition(position: SweepPosition): Promise<void> {
    // Runs never overlap (the schedule's function has a concurrency of one), so a plain put is enough.
    const item = { pk: POSITION_KEY, afterConversationId: position.afterConversationId };
    await run("save sweep position", () => this.client.send(new PutCommand({ TableName: this.table, Item: item })));
  }
}
