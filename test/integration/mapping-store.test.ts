// The MappingStore contract on the in-memory fake and on DynamoMappingStore over the embedded
// dynalite store (over loopback HTTP, and in-process as npm start runs it), plus what only the real adapter has:
// persistence and error translation.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DynamoMappingStore } from "../../functions/adapters/dynamo-mapping-store.js";
import { StoreError, createDocumentClient } from "../../functions/adapters/dynamo-requests.js";
import { ensureTable, startEmbeddedStore, type EmbeddedStore } from "../../dev/embedded-store.js";
import { MemoryMappingStore } from "../support/memory-mapping-store.js";
import { mappingStoreContract, storedMessage } from "../support/mapping-store-contract.js";
import { threadStoreContract } from "../support/mapping-store-thread-contract.js";

let dataDir: string;
let embedded: EmbeddedStore;
let tables = 0;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "bridge-mapping-store-"));
  embedded = await startEmbeddedStore({ dataDir, tableName: "bridge-mapping" });
});

afterAll(async () => {
  await embedded.close();
  await rm(dataDir, { recursive: true, force: true });
});

mappingStoreContract("the in-memory fake", () => new MemoryMappingStore());

async function freshDynamoStore(): Promise<DynamoMappingStore> {
  // A fresh table per test keeps each test's exact assertions independent of the others.
  const tableName = `bridge-mapping-${++tables}`;
  await ensureTable(embedded.endpoint, tableName);
  return new DynamoMappingStore({ tableName, endpoint: embedded.endpoint });
}

/** As npm start builds the bridge's store: the same SDK client, answered by dynalite in this process. */
async function freshInProcessStore(): Promise<DynamoMappingStore> {
  const tableName = `bridge-mapping-${++tables}`;
  await ensureTable(embedded.endpoint, tableName);
  return new DynamoMappingStore({
    tableName,
    client: createDocumentClient(embedded.endpoint, embedded.requestHandler),
  });
}

mappingStoreContract("DynamoMappingStore on dynalite", freshDynamoStore);
mappingStoreContract("DynamoMappingStore on dynalite in-process", freshInProcessStore);
threadStoreContract("the in-memory fake", () => new MemoryMappingStore());
threadStoreContract("DynamoMappingStore on dynalite", freshDynamoStore);
threadStoreContract("DynamoMappingStore on dynalite in-process", freshInProcessStore);

describe("DynamoMappingStore on the embedded store", () => {
  it("keeps mappings, message records and claims across a restart on the same data directory", async () => {
    const ownDir = await mkdtemp(join(tmpdir(), "bridge-mapping-restart-"));
    try {
      const first = await startEmbeddedStore({ dataDir: ownDir, tableName: "bridge-mapping" });
      const before = new DynamoMappingStore({ tableName: "bridge-mapping", endpoint: first.endpoint });
      const mapping = {
        userId: "u-42",
        contactId: 4821,
        sourceId: "src-42",
        conversationId: 287,
        conversationStatus: "open" as const,
      };
      await before.acquireUserLease("u-42", "owner-a", 2_000, 1_000);
      await before.saveMapping(mapping, "owner-a");
      const record = {
        userId: "u-42",
        messageId: "m-1",
        fingerprint: "fp-1",
        state: "unknown" as const,
        expiresAt: 1_900_000_000,
      };
      await before.beginMessage(record);
      await before.claimOnce("evt-1", Math.floor(Date.now() / 1000) + 3_600);
      await first.close();

      const second = await startEmbeddedStore({ dataDir: ownDir, tableName: "bridge-mapping" });
      const after = new DynamoMappingStore({ tableName: "bridge-mapping", endpoint: second.endpoint });
      expect(second.table).toStrictEqual({ created: false, ttlEnabled: false });
      expect(await after.getUser("u-42")).toStrictEqual({ userId: "u-42", mapping });
      expect(await after.findUserByConversation(287)).toStrictEqual({ userId: "u-42" });
      expect(await storedMessage(after, "u-42", "m-1")).toStrictEqual(record);
      expect(await after.claimOnce("evt-1", Math.floor(Date.now() / 1000) + 3_600)).toBe(false);
      await second.close();
    } finally {
      await rm(ownDir, { recursive: true, force: true });
    }
  });

  it("refuses a second embedded store on a data directory that is in use, naming the directory", async () => {
    await expect(startEmbeddedStore({ dataDir, tableName: "bridge-mapping" })).rejects.toThrow(
      `The embedded store in ${dataDir} is in use by process ${process.pid}; stop it or choose another DATA_DIR`,
    );
  });

  it("refuses to use an existing table whose key is not pk alone", async () => {
    const client = new DynamoDBClient({
      endpoint: embedded.endpoint.href,
      region: "local",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });
    await client.send(
      new CreateTableCommand({
        TableName: "wrong-key",
        KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
        AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
        BillingMode: "PAY_PER_REQUEST",
      }),
    );
    client.destroy();
    await expect(ensureTable(embedded.endpoint, "wrong-key")).rejects.toThrow(
      "Table wrong-key exists with key [id:HASH]; the bridge needs pk:HASH only",
    );
  });

  it("turns a DynamoDB failure into a StoreError naming the operation, without the key", async () => {
    const store = new DynamoMappingStore({
      tableName: "no-such-table",
      client: createDocumentClient(embedded.endpoint),
    });
    const failure = await store.getUser("u-secret-42").then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(StoreError);
    expect(failure).toMatchObject({ operation: "get user", code: "ResourceNotFoundException" });
    expect(String(failure)).toBe("StoreError: mapping store: get user failed (ResourceNotFoundException)");
    expect(await store.acquireUserLease("u-secret-42", "owner-a", 2, 1).catch((error: unknown) => error)).toMatchObject(
      {
        name: "StoreError",
        operation: "acquire user lease",
      },
    );
  });
});

describe("the embedded store's in-process handler", () => {
  it("answers what loopback HTTP answers: the same item, and the same StoreError for a missing table", async () => {
    const tableName = `bridge-mapping-${++tables}`;
    await ensureTable(embedded.endpoint, tableName);
    const inProcess = createDocumentClient(embedded.endpoint, embedded.requestHandler);
    const overHttp = new DynamoMappingStore({ tableName, endpoint: embedded.endpoint });
    await new DynamoMappingStore({ tableName, client: inProcess }).acquireUserLease("u-7", "owner-a", 2_000, 1_000);
    expect(await overHttp.getUser("u-7")).toStrictEqual({ userId: "u-7", leaseOwner: "owner-a", leaseUntil: 2_000 });
    const missing = new DynamoMappingStore({ tableName: "no-such-table", client: inProcess });
    await expect(missing.getUser("u-7")).rejects.toMatchObject({
      name: "StoreError",
      operation: "get user",
      code: "ResourceNotFoundException",
    });
  });
});

describe("the in-memory fake's failure knobs", () => {
  it("fails the next calls without writing, then works again", async () => {
    const store = new MemoryMappingStore();
    store.failNext(1);
    await expect(store.claimOnce("evt-1", 4_000_000_000)).rejects.toMatchObject({
      name: "StoreError",
      operation: "claim once",
    });
    expect(await store.claimOnce("evt-1", 4_000_000_000)).toBe(true);
  });

  it("can lose the answer after writing, as a timed-out request may", async () => {
    const store = new MemoryMappingStore();
    store.failNext(1, { loseAnswer: true });
    await expect(store.claimOnce("evt-1", 4_000_000_000)).rejects.toBeInstanceOf(StoreError);
    expect(await store.claimOnce("evt-1", 4_000_000_000)).toBe(false);
  });

  it("reads the injected clock for claim expiry", async () => {
    let now = 1_000_000;
    const store = new MemoryMappingStore({ clock: { now: () => now } });
    expect(await store.claimOnce("evt-1", 1_000)).toBe(true);
    expect(await store.claimOnce("evt-1", 1_000)).toBe(false);
    now = 1_001_000;
    expect(await store.claimOnce("evt-1", 2_000)).toBe(true);
  });
});
