// The MappingStore contract for threads and for conversations the bridge did not create: run on the in-memory
// fake and on the DynamoDB adapter (test/integration/mapping-store.test.ts), like the rest of the contract.
import { beforeEach, describe, expect, it } from "vitest";
import type { Mapping, MappingStore } from "../../functions/core/ports.js";
import { LEASE_MS, mapping, NOW } from "./mapping-store-contract.js";

export function threadStoreContract(name: string, makeStore: () => MappingStore | Promise<MappingStore>): void {
  describe(`${name}: the MappingStore contract for threads`, () => {
    let store: MappingStore;
    beforeEach(async () => {
      store = await makeStore();
    });

    describe("threads", () => {
      const thread: Mapping = { ...mapping, threadId: "order-5521", conversationId: 301 };

      it("keeps each thread's mapping and lease apart from the default thread's, and lists the threads", async () => {
        await store.acquireUserLease("u-42", "owner-a", NOW + LEASE_MS, NOW);
        await store.saveMapping(mapping, "owner-a");
        // The default thread's lease is free again; a thread's lease is its own.
        expect(await store.acquireUserLease("u-42", "owner-t", NOW + LEASE_MS, NOW, "order-5521")).toBe(true);
        expect(await store.acquireUserLease("u-42", "owner-u", NOW + LEASE_MS, NOW, "order-5521")).toBe(false);
        expect(await store.acquireUserLease("u-42", "owner-v", NOW + LEASE_MS, NOW, "order-5530")).toBe(true);
        await store.listThread("u-42", "order-5521");
        await store.listThread("u-42", "order-5521");
        expect(await store.saveMapping(thread, "owner-t")).toBe(true);
        expect(await store.getUser("u-42", "order-5521")).toStrictEqual({
          userId: "u-42",
          threadId: "order-5521",
          mapping: thread,
        });
        expect(await store.getUser("u-42")).toStrictEqual({ userId: "u-42", mapping, threadIds: ["order-5521"] });
        expect(await store.findUserByConversation(301)).toStrictEqual({ userId: "u-42", threadId: "order-5521" });
        expect(await store.findUserByConversation(287)).toStrictEqual({ userId: "u-42" });
        await store.releaseUserLease("u-42", "owner-v", "order-5530");
        expect(await store.getUser("u-42", "order-5530")).toStrictEqual({ userId: "u-42", threadId: "order-5530" });
      });

      it("updates a thread's status only, and only for its current conversation", async () => {
        await store.acquireUserLease("u-42", "owner-a", NOW + LEASE_MS, NOW);
        await store.saveMapping(mapping, "owner-a");
        await store.acquireUserLease("u-42", "owner-t", NOW + LEASE_MS, NOW, "order-5521");
        await store.saveMapping(thread, "owner-t");
        await store.setConversationStatus("u-42", 301, "resolved", "order-5521");
        await store.setConversationStatus("u-42", 301, "pending");
        expect((await store.getUser("u-42", "order-5521"))?.mapping?.conversationStatus).toBe("resolved");
        expect((await store.getUser("u-42"))?.mapping?.conversationStatus).toBe("open");
      });
    });

    describe("conversations the bridge did not create", () => {
      it("records one as a known user's default-thread conversation, keeping the user's contact", async () => {
        const uncertain: Mapping = { userId: "u-42", contactId: 4821, sourceId: "src-42", conversationUnknown: true };
        await store.acquireUserLease("u-42", "owner-a", NOW + LEASE_MS, NOW);
        await store.saveMapping(uncertain, "owner-a");
        await store.adoptConversation({ userId: "u-42", contactId: 9, sourceId: "x", conversationId: 400 });
        expect(await store.getUser("u-42")).toStrictEqual({
          userId: "u-42",
          mapping: { userId: "u-42", contactId: 4821, sourceId: "src-42", conversationId: 400 },
        });
        expect(await store.findUserByConversation(400)).toStrictEqual({ userId: "u-42" });
      });

      it("maps a user the bridge never saw (a contact made in Chatwoot's UI) with the event's contact", async () => {
        const adopted = { userId: "u-9", contactId: 9, sourceId: "uuid-9", conversationId: 401 };
        await store.adoptConversation({ ...adopted, conversationStatus: "pending" });
        expect(await store.getUser("u-9")).toStrictEqual({
          userId: "u-9",
          mapping: { ...adopted, conversationStatus: "pending" },
        });
        expect(await store.acquireUserLease("u-9", "owner-a", NOW + LEASE_MS, NOW)).toBe(true);
      });

      it("records one as a thread's conversation when asked, indexed to that thread", async () => {
        const waiting: Mapping = {
          userId: "u-42",
          threadId: "t-9",
          contactId: 4821,
          sourceId: "src-42",
          conversationUnknown: true,
        };
        await store.acquireUserLease("u-42", "owner-t", NOW + LEASE_MS, NOW, "t-9");
        await store.saveMapping(waiting, "owner-t");
        await store.adoptConversation({
          userId: "u-42",
          threadId: "t-9",
          contactId: 1,
          sourceId: "x",
          conversationId: 402,
        });
        expect((await store.getUser("u-42", "t-9"))?.mapping).toStrictEqual({
          userId: "u-42",
          threadId: "t-9",
          contactId: 4821,
          sourceId: "src-42",
          conversationId: 402,
        });
        expect(await store.findUserByConversation(402)).toStrictEqual({ userId: "u-42", threadId: "t-9" });
      });

      it("finds no user for a source_id it never saved", async () => {
        expect(await store.findUserBySourceId("uuid-unknown")).toBeUndefined();
      });
    });
  });
}
