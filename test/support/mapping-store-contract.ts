// The MappingStore contract: one suite run against the in-memory fake and the DynamoDB adapter on
// the local store, so the fake cannot drift from what the table really does.
import { beforeEach, describe, expect, it } from "vitest";
import type { Mapping, MappingStore, MessageRecord, PostedMessage } from "../../functions/core/ports.js";

export const NOW = 1_700_000_000_000;
export const LEASE_MS = 1_000;
const EXPIRES_AT = 1_900_000_000;

export const mapping: Mapping = {
  userId: "u-42",
  contactId: 4821,
  sourceId: "src-42",
  conversationId: 287,
  conversationStatus: "open",
};
const pending: MessageRecord = {
  userId: "u-42",
  messageId: "m-1001",
  fingerprint: "fp-1",
  state: "pending",
  leaseOwner: "owner-a",
  leaseUntil: NOW + LEASE_MS,
  expiresAt: EXPIRES_AT,
};
const posted: PostedMessage = {
  messageId: "m-1001",
  chatwootMessageId: 91201,
  conversationId: 287,
  contactId: 4821,
  sourceId: "src-42",
};

/** A begin under an owner no test uses: it finds the stored record, or starts one that hasNoMessage abandons. */
const probe = (userId: string, messageId: string): MessageRecord => ({
  userId,
  messageId,
  fingerprint: "probe",
  state: "pending",
  leaseOwner: "probe-owner",
  leaseUntil: 0,
  expiresAt: 0,
});

/** The stored record, read the only way the port offers: through beginMessage's `existing`. */
export async function storedMessage(store: MappingStore, userId: string, messageId: string): Promise<MessageRecord> {
  const begun = await store.beginMessage(probe(userId, messageId));
  if (begun.started) throw new Error(`no message record for ${messageId}`);
  return begun.existing;
}

/** True when no record exists; the probe's own record is abandoned again, so nothing is left behind. */
async function hasNoMessage(store: MappingStore, userId: string, messageId: string): Promise<boolean> {
  const begun = await store.beginMessage(probe(userId, messageId));
  if (!begun.started) return false;
  await store.abandonMessage(userId, messageId, "probe-owner");
  return true;
}

export function mappingStoreContract(name: string, makeStore: () => MappingStore | Promise<MappingStore>): void {
  describe(`${name}: the MappingStore contract`, () => {
    let store: MappingStore;
    beforeEach(async () => {
      store = await makeStore();
    });

    describe("user lease", () => {
      it("grants the lease to exactly one of 20 parallel callers", async () => {
        const owners = Array.from({ length: 20 }, (_, i) => `owner-${i}`);
        const granted = await Promise.all(
          owners.map((owner) => store.acquireUserLease("u-42", owner, NOW + LEASE_MS, NOW)),
        );
        expect(granted.filter(Boolean)).toHaveLength(1);
        const winner = owners[granted.indexOf(true)];
        expect(await store.getUser("u-42")).toStrictEqual({
          userId: "u-42",
          leaseOwner: winner,
          leaseUntil: NOW + LEASE_MS,
        });
      });

      it("refuses another owner until the lease has expired, then lets it take over", async () => {
        expect(await store.acquireUserLease("u-42", "owner-a", NOW + LEASE_MS, NOW)).toBe(true);
        expect(await store.acquireUserLease("u-42", "owner-b", NOW + 5_000, NOW + LEASE_MS)).toBe(false);
        expect(await store.acquireUserLease("u-42", "owner-b", NOW + 5_000, NOW + LEASE_MS + 1)).toBe(true);
        expect(await store.getUser("u-42")).toStrictEqual({
          userId: "u-42",
          leaseOwner: "owner-b",
          leaseUntil: NOW + 5_000,
        });
      });

      it("renews the lease for its holder, so an SDK retry of a granted request is not reported as lost", async () => {
        expect(await store.acquireUserLease("u-42", "owner-a", NOW + LEASE_MS, NOW)).toBe(true);
        expect(await store.acquireUserLease("u-42", "owner-a", NOW + 2 * LEASE_MS, NOW + 1)).toBe(true);
        expect(await store.getUser("u-42")).toStrictEqual({
          userId: "u-42",
          leaseOwner: "owner-a",
          leaseUntil: NOW + 2 * LEASE_MS,
        });
      });

      it("releases only the holder's lease, and does not create a user that was never leased", async () => {
        await store.acquireUserLease("u-42", "owner-a", NOW + LEASE_MS, NOW);
        await store.releaseUserLease("u-42", "owner-b");
        expect(await store.getUser("u-42")).toStrictEqual({
          userId: "u-42",
          leaseOwner: "owner-a",
          leaseUntil: NOW + LEASE_MS,
        });
        await store.releaseUserLease("u-42", "owner-a");
        expect(await store.getUser("u-42")).toStrictEqual({ userId: "u-42" });
        expect(await store.acquireUserLease("u-42", "owner-b", NOW + LEASE_MS, NOW)).toBe(true);
        await store.releaseUserLease("u-7", "owner-a");
        expect(await store.getUser("u-7")).toBeUndefined();
      });
    });

    describe("mapping", () => {
      it("saves the holder's mapping, frees the lease and indexes the conversation", async () => {
        await store.acquireUserLease("u-42", "owner-a", NOW + LEASE_MS, NOW);
        expect(await store.saveMapping(mapping, "owner-a")).toBe(true);
        expect(await store.getUser("u-42")).toStrictEqual({ userId: "u-42", mapping });
        expect(await store.findUserByConversation(287)).toStrictEqual({ userId: "u-42" });
        expect(await store.findUserBySourceId("src-42")).toBe("u-42");
        expect(await store.findUserByConversation(288)).toBeUndefined();
        expect(await store.acquireUserLease("u-42", "owner-b", NOW + LEASE_MS, NOW)).toBe(true);
      });

      it("refuses the mapping of an owner who does not hold the lease and keeps the holder's lease", async () => {
        await store.acquireUserLease("u-42", "owner-a", NOW + LEASE_MS, NOW);
        expect(await store.saveMapping(mapping, "owner-b")).toBe(false);
        expect(await store.getUser("u-42")).toStrictEqual({
          userId: "u-42",
          leaseOwner: "owner-a",
          leaseUntil: NOW + LEASE_MS,
        });
        expect(await store.saveMapping({ ...mapping, userId: "u-7" }, "owner-a")).toBe(false);
        expect(await store.getUser("u-7")).toBeUndefined();
      });

      it("refuses the mapping of an owner whose expired lease was taken over", async () => {
        await store.acquireUserLease("u-42", "owner-a", NOW + LEASE_MS, NOW);
        await store.acquireUserLease("u-42", "owner-b", NOW + 5_000, NOW + LEASE_MS + 1);
        expect(await store.saveMapping(mapping, "owner-a")).toBe(false);
        expect(await store.getUser("u-42")).toStrictEqual({
          userId: "u-42",
          leaseOwner: "owner-b",
          leaseUntil: NOW + 5_000,
        });
      });

      it("accepts the same save twice from its owner, as an SDK retry after a lost answer sends it", async () => {
        await store.acquireUserLease("u-42", "owner-a", NOW + LEASE_MS, NOW);
        expect(await store.saveMapping(mapping, "owner-a")).toBe(true);
        expect(await store.saveMapping(mapping, "owner-a")).toBe(true);
        expect(await store.getUser("u-42")).toStrictEqual({ userId: "u-42", mapping });
      });

      it("forgets the old conversation when a mapping without one is saved", async () => {
        await store.acquireUserLease("u-42", "owner-a", NOW + LEASE_MS, NOW);
        await store.saveMapping(mapping, "owner-a");
        await store.acquireUserLease("u-42", "owner-b", NOW + LEASE_MS, NOW);
        const contactOnly: Mapping = { userId: "u-42", contactId: 4821, sourceId: "src-42" };
        expect(await store.saveMapping(contactOnly, "owner-b")).toBe(true);
        expect(await store.getUser("u-42")).toStrictEqual({ userId: "u-42", mapping: contactOnly });
      });

      it("keeps the conversation-unknown flag while saved with it and forgets it on the next save without it", async () => {
        await store.acquireUserLease("u-42", "owner-a", NOW + LEASE_MS, NOW);
        const uncertain: Mapping = { userId: "u-42", contactId: 4821, sourceId: "src-42", conversationUnknown: true };
        await store.saveMapping(uncertain, "owner-a");
        expect(await store.getUser("u-42")).toStrictEqual({ userId: "u-42", mapping: uncertain });
        await store.acquireUserLease("u-42", "owner-b", NOW + LEASE_MS, NOW);
        await store.saveMapping({ ...mapping, conversationUnknown: false }, "owner-b");
        expect(await store.getUser("u-42")).toStrictEqual({
          userId: "u-42",
          mapping: { ...mapping, conversationUnknown: false },
        });
        await store.acquireUserLease("u-42", "owner-c", NOW + LEASE_MS, NOW);
        await store.saveMapping(mapping, "owner-c");
        expect(await store.getUser("u-42")).toStrictEqual({ userId: "u-42", mapping });
      });

      it("updates the status of the current conversation only, so a late event for an older one changes nothing", async () => {
        await store.acquireUserLease("u-42", "owner-a", NOW + LEASE_MS, NOW);
        await store.saveMapping(mapping, "owner-a");
        await store.setConversationStatus("u-42", 287, "resolved");
        await store.setConversationStatus("u-42", 286, "open");
        await store.setConversationStatus("u-7", 287, "open");
        expect(await store.getUser("u-42")).toStrictEqual({
          userId: "u-42",
          mapping: { ...mapping, conversationStatus: "resolved" },
        });
        expect(await store.getUser("u-7")).toBeUndefined();
      });
    });

    describe("message records", () => {
      it("begins a record once and answers later attempts with the stored record", async () => {
        expect(await store.beginMessage(pending)).toStrictEqual({ started: true });
        expect(await storedMessage(store, "u-42", "m-1001")).toStrictEqual(pending);
        const again = { ...pending, fingerprint: "fp-2", leaseOwner: "owner-b" };
        expect(await store.beginMessage(again)).toStrictEqual({ started: false, existing: pending });
        expect(await storedMessage(store, "u-42", "m-1001")).toStrictEqual(pending);
      });

      it("starts exactly one of 20 parallel attempts at the same message", async () => {
        const attempts = Array.from({ length: 20 }, (_, i) =>
          store.beginMessage({ ...pending, leaseOwner: `owner-${i}` }),
        );
        const outcomes = await Promise.all(attempts);
        expect(outcomes.filter((outcome) => outcome.started)).toHaveLength(1);
      });

      it("keeps the ids apart whatever they contain", async () => {
        await store.beginMessage({ ...pending, userId: "a#b", messageId: "c" });
        expect(await hasNoMessage(store, "a", "b#c")).toBe(true);
        expect(await store.beginMessage({ ...pending, userId: "a", messageId: "b#c" })).toStrictEqual({
          started: true,
        });
      });

      it("lets another owner take over a pending record only after its lease expired, then completes it", async () => {
        await store.beginMessage(pending);
        expect(await store.takeOverMessage("u-42", "m-1001", "owner-b", NOW + 5_000, NOW + LEASE_MS)).toBe(false);
        expect(await store.takeOverMessage("u-42", "m-1001", "owner-b", NOW + 5_000, NOW + LEASE_MS + 1)).toBe(true);
        await store.completeMessage("u-42", "m-1001", "owner-a", posted);
        expect(await storedMessage(store, "u-42", "m-1001")).toStrictEqual({
          ...pending,
          leaseOwner: "owner-b",
          leaseUntil: NOW + 5_000,
        });
        await store.completeMessage("u-42", "m-1001", "owner-b", posted);
        const done = {
          userId: "u-42",
          messageId: "m-1001",
          fingerprint: "fp-1",
          state: "done",
          result: posted,
          expiresAt: EXPIRES_AT,
        };
        expect(await storedMessage(store, "u-42", "m-1001")).toStrictEqual(done);
        expect(await store.takeOverMessage("u-42", "m-1001", "owner-c", NOW + 5_000, NOW * 2)).toBe(false);
        await store.abandonMessage("u-42", "m-1001", "owner-b");
        expect(await storedMessage(store, "u-42", "m-1001")).toStrictEqual(done);
      });

      it("lets anyone take over an unknown record at once, and only the holder abandon it", async () => {
        await store.beginMessage(pending);
        await store.markMessageUnknown("u-42", "m-1001", "owner-b");
        expect(await storedMessage(store, "u-42", "m-1001")).toStrictEqual(pending);
        await store.markMessageUnknown("u-42", "m-1001", "owner-a");
        const unknown = {
          userId: "u-42",
          messageId: "m-1001",
          fingerprint: "fp-1",
          state: "unknown",
          expiresAt: EXPIRES_AT,
        };
        expect(await storedMessage(store, "u-42", "m-1001")).toStrictEqual(unknown);
        expect(await store.takeOverMessage("u-42", "m-1001", "owner-c", NOW + LEASE_MS, NOW)).toBe(true);
        await store.abandonMessage("u-42", "m-1001", "owner-a");
        expect(await storedMessage(store, "u-42", "m-1001")).toStrictEqual({
          ...unknown,
          state: "pending",
          leaseOwner: "owner-c",
          leaseUntil: NOW + LEASE_MS,
        });
        await store.abandonMessage("u-42", "m-1001", "owner-c");
        expect(await hasNoMessage(store, "u-42", "m-1001")).toBe(true);
        expect(await store.beginMessage({ ...pending, leaseOwner: "owner-d" })).toStrictEqual({ started: true });
      });

      it("stores a result without a client message id as null", async () => {
        await store.beginMessage(pending);
        await store.completeMessage("u-42", "m-1001", "owner-a", { ...posted, messageId: null });
        expect((await storedMessage(store, "u-42", "m-1001")).result).toStrictEqual({ ...posted, messageId: null });
      });

      it("creates nothing when a missing record is taken over, completed or marked", async () => {
        expect(await store.takeOverMessage("u-42", "m-1001", "owner-a", NOW + LEASE_MS, NOW)).toBe(false);
        await store.completeMessage("u-42", "m-1001", "owner-a", posted);
        await store.markMessageUnknown("u-42", "m-1001", "owner-a");
        await store.abandonMessage("u-42", "m-1001", "owner-a");
        expect(await hasNoMessage(store, "u-42", "m-1001")).toBe(true);
      });

      it("treats a repeated begin by the same owner as its own, as an SDK retry after a lost answer sends it", async () => {
        await store.beginMessage(pending);
        expect(await store.beginMessage(pending)).toStrictEqual({ started: true });
      });
    });

    describe("claimOnce", () => {
      const nowSeconds = () => Math.floor(Date.now() / 1000);

      it("claims a key once and refuses the second claim", async () => {
        expect(await store.claimOnce("evt-1", nowSeconds() + 3_600)).toBe(true);
        expect(await store.claimOnce("evt-1", nowSeconds() + 3_600)).toBe(false);
        expect(await store.claimOnce("evt-2", nowSeconds() + 3_600)).toBe(true);
      });

      it("tells whether a key is claimed without claiming it", async () => {
        expect(await store.isClaimed("evt-1")).toBe(false);
        expect(await store.isClaimed("evt-1")).toBe(false);
        await store.claimOnce("evt-1", nowSeconds() + 3_600);
        expect(await store.isClaimed("evt-1")).toBe(true);
        expect(await store.isClaimed("evt-2")).toBe(false);
      });

      it("grants exactly one of 20 parallel claims", async () => {
        const claims = await Promise.all(
          Array.from({ length: 20 }, () => store.claimOnce("evt-1", nowSeconds() + 3_600)),
        );
        expect(claims.filter(Boolean)).toHaveLength(1);
      });

      it("counts an expired claim as absent, since TTL removes items late", async () => {
        expect(await store.claimOnce("evt-1", nowSeconds() - 3_600)).toBe(true);
        expect(await store.isClaimed("evt-1")).toBe(false);
        expect(await store.claimOnce("evt-1", nowSeconds() + 3_600)).toBe(true);
        expect(await store.claimOnce("evt-1", nowSeconds() + 3_600)).toBe(false);
      });
    });
  });
}
