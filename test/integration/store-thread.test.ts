// The embedded store in its own thread, as `npm start` runs it (dev/store-thread.ts): the MappingStore contract
// through its MessagePort handler; a bridge on it posts, delivers and, restarted on the same data directory, finds
// its mappings again; and the thread's close frees the directory for the next start.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DynamoMappingStore } from "../../functions/adapters/dynamo-mapping-store.js";
import { createDocumentClient } from "../../functions/adapters/dynamo-requests.js";
import { ensureTable, type EmbeddedStore } from "../../dev/embedded-store.js";
import { startStoreThread } from "../../dev/store-thread.js";
import { mappingStoreContract } from "../support/mapping-store-contract.js";
import { threadStoreContract } from "../support/mapping-store-thread-contract.js";
import { receiverOf, sandboxOf, startTestBridge } from "../support/bridge.js";

let dataDir: string;
let thread: EmbeddedStore;
let tables = 0;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "bridge-store-thread-"));
  thread = await startStoreThread({ dataDir, tableName: "bridge-thread" });
});

afterAll(async () => {
  await thread.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function freshThreadStore(): Promise<DynamoMappingStore> {
  const tableName = `bridge-thread-${++tables}`;
  await ensureTable(thread.endpoint, tableName);
  return new DynamoMappingStore({ tableName, client: createDocumentClient(thread.endpoint, thread.requestHandler) });
}

mappingStoreContract("DynamoMappingStore on dynalite in its own thread", freshThreadStore);
threadStoreContract("DynamoMappingStore on dynalite in its own thread", freshThreadStore);

describe("the store thread", () => {
  it("closes the store before the thread, so the data directory can be opened again", async () => {
    const ownDir = await mkdtemp(join(tmpdir(), "bridge-store-thread-restart-"));
    try {
      const first = await startStoreThread({ dataDir: ownDir, tableName: "bridge-thread" });
      const before = new DynamoMappingStore({
        tableName: "bridge-thread",
        client: createDocumentClient(first.endpoint, first.requestHandler),
      });
      expect(await before.claimOnce("evt-1", Math.floor(Date.now() / 1000) + 3_600)).toBe(true);
      await first.close();
      await expect(first.requestHandler.handle(await signedRequest(first))).rejects.toThrow("store thread");

      const second = await startStoreThread({ dataDir: ownDir, tableName: "bridge-thread" });
      try {
        const after = new DynamoMappingStore({ tableName: "bridge-thread", endpoint: second.endpoint });
        expect(await after.claimOnce("evt-1", Math.floor(Date.now() / 1000) + 3_600)).toBe(false);
      } finally {
        await second.close();
      }
    } finally {
      await rm(ownDir, { recursive: true, force: true });
    }
  });

  it("serves a bridge started as npm start starts it: posts, delivers, and after a restart finds its mappings", async () => {
    let t = await startTestBridge({}, { storeThread: true });
    const { dataDir } = t;
    try {
      const first = await t.api("POST", "/messages", { user_id: "u-thread", message_id: "m-1", content: "Hello" });
      expect(first.status).toBe(201);
      const conversationId = (first.body as { conversation_id: number }).conversation_id;
      const delivered = receiverOf(t).next();
      const reply = sandboxOf(t).reply(conversationId, "Hi from an agent");
      expect(pick((await delivered).body)).toEqual({ userId: "u-thread", messageId: reply.id });

      await t.close();
      t = await startTestBridge({ DATA_DIR: dataDir }, { storeThread: true });
      sandboxOf(t).resetCalls();
      const again = await t.api("POST", "/messages", { user_id: "u-thread", message_id: "m-2", content: "Again" });
      expect(again.status).toBe(201);
      expect((again.body as { conversation_id: number }).conversation_id).toBe(conversationId);
      expect(sandboxOf(t).calls()).toEqual({ "POST /conversations/:id/messages": 1 });
    } finally {
      await t.close();
    }
  });
});

/** The user and the Chatwoot message a delivery names. */
function pick(body: unknown): { userId: unknown; messageId: unknown } {
  const data = (body as { data?: { user_id?: unknown; message?: { id?: unknown } } }).data;
  return { userId: data?.user_id, messageId: data?.message?.id };
}

/** A request as the SDK would send it; the closed thread must refuse it without an answer. */
async function signedRequest(store: EmbeddedStore) {
  const { HttpRequest } = await import("@smithy/core/protocols");
  return new HttpRequest({ method: "POST", hostname: store.endpoint.hostname, path: "/", headers: {}, body: "{}" });
}
