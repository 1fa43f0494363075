// Creates the mapping table on a local DynamoDB endpoint (dynalite or DynamoDB Local) from
// stacks/table.ts, so the local table has the key and TTL attribute the AWS one has.
import { setTimeout as delay } from "node:timers/promises";
import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  UpdateTimeToLiveCommand,
  type TableDescription,
} from "@aws-sdk/client-dynamodb";
import { dynamoAttributeTypes, mappingTable } from "../stacks/table.js";

/** Local endpoints create tables within milliseconds; this is the bound, not the expected wait. */
const ACTIVE_POLLS = 100;
const ACTIVE_POLL_MS = 50;

export interface TableReady {
  created: boolean;
  /** dynalite has no UpdateTimeToLive: expired items stay (the store treats expired claims as absent). */
  ttlEnabled: boolean;
}

export async function ensureTable(endpoint: URL, tableName: string): Promise<TableReady> {
  const client = new DynamoDBClient({
    endpoint: endpoint.href,
    region: "local",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  try {
    const existing = await describe(client, tableName);
    if (existing) assertKeySchema(existing, tableName);
    else await createTable(client, tableName);
    await waitUntilActive(client, tableName);
    return { created: existing === undefined, ttlEnabled: await enableTtl(client, tableName) };
  } finally {
    client.destroy();
  }
}

async function describe(client: DynamoDBClient, tableName: string): Promise<TableDescription | undefined> {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  } catch (error) {
    if (error instanceof Error && error.name === "ResourceNotFoundException") return undefined;
    throw error;
  }
}

async function createTable(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        KeySchema: [{ AttributeName: mappingTable.hashKey, KeyType: "HASH" }],
        AttributeDefinitions: Object.entries(mappingTable.attributes).map(([name, type]) => ({
          AttributeName: name,
          AttributeType: dynamoAttributeTypes[type],
        })),
        BillingMode: "PAY_PER_REQUEST",
      }),
    );
  } catch (error) {
    // Another process sharing the endpoint created it first: fine, it is the same table.
    if (!(error instanceof Error && error.name === "ResourceInUseException")) throw error;
  }
}

/** A table with another key would make every request fail with a confusing ValidationException. */
function assertKeySchema(table: TableDescription, tableName: string): void {
  const keys = (table.KeySchema ?? []).map((key) => `${key.AttributeName ?? ""}:${key.KeyType ?? ""}`);
  if (keys.length !== 1 || keys[0] !== `${mappingTable.hashKey}:HASH`) {
    throw new Error(
      `Table ${tableName} exists with key [${keys.join(", ")}]; the bridge needs ${mappingTable.hashKey}:HASH only`,
    );
  }
}

async function waitUntilActive(client: DynamoDBClient, tableName: string): Promise<void> {
  for (let poll = 0; poll < ACTIVE_POLLS; poll++) {
    if ((await describe(client, tableName))?.TableStatus === "ACTIVE") return;
    await delay(ACTIVE_POLL_MS);
  }
  throw new Error(`Table ${tableName} did not become ACTIVE`);
}

async function enableTtl(client: DynamoDBClient, tableName: string): Promise<boolean> {
  try {
    const current = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
    const status = current.TimeToLiveDescription?.TimeToLiveStatus;
    if (status === "ENABLED" || status === "ENABLING") return true;
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: mappingTable.ttl, Enabled: true },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof Error && error.name === "UnknownOperationException") return false;
    throw error;
  }
}
