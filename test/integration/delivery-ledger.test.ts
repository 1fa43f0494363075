// The DeliveryLedger contract on the in-memory fake and on DynamoDeliveryLedger over the embedded dynalite store,
// so the fake the worker's unit tests use cannot drift from the adapter AWS runs.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureTable, startEmbeddedStore, type EmbeddedStore } from "../../dev/embedded-store.js";
import { DynamoDeliveryLedger } from "../../functions/adapters/dynamo-delivery-state.js";
import type { DeliveryLedger } from "../../functions/core/delivery-state-port.js";
import { MemoryDeliveryLedger } from "../support/memory-delivery-ledger.js";

let dataDir: string;
let embedded: EmbeddedStore;
let tables = 0;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "bridge-delivery-ledger-"));
  embedded = await startEmbeddedStore({ dataDir, tableName: "bridge-ledger" });
});

afterAll(async () => {
  await embedded.close();
  await rm(dataDir, { recursive: true, force: true });
});

const EXPIRES_AT = 2_000_000_000;

function ledgerContract(name: string, make: () => Promise<DeliveryLedger>): void {
  describe(`DeliveryLedger: ${name}`, () => {
    it("knows nothing of a conversation never pulled", async () => {
      expect(await (await make()).readConversation(41)).toEqual({ marks: [] });
    });

    it("moves the cursor only forward", async () => {
      const ledger = await make();
      await ledger.advanceCursor(41, 120);
      await ledger.advanceCursor(41, 110);
      await ledger.advanceCursor(41, 120);
      expect((await ledger.readConversation(41)).cursor).toBe(120);
      await ledger.advanceCursor(41, 130);
      expect((await ledger.readConversation(41)).cursor).toBe(130);
    });

    it("keeps the last status with Chatwoot's fractional updated_at, beside the cursor", async () => {
      const ledger = await make();
      await ledger.advanceCursor(41, 7);
      await ledger.recordStatus(41, "resolved", 1781964900.127554);
      expect(await ledger.readConversation(41)).toEqual({
        cursor: 7,
        status: "resolved",
        statusAt: 1781964900.127554,
        marks: [],
      });
    });

    it("keeps pending marks by message id, in id order, until cleared", async () => {
      const ledger = await make();
      await ledger.savePendingMark(41, { messageId: 12, status: "failed", externalError: "Not delivered: why." });
      await ledger.savePendingMark(41, { messageId: 9, status: "delivered" });
      expect((await ledger.readConversation(41)).marks).toEqual([
        { messageId: 9, status: "delivered" },
        { messageId: 12, status: "failed", externalError: "Not delivered: why." },
      ]);
      await ledger.clearPendingMark(41, 9);
      await ledger.clearPendingMark(41, 99);
      expect((await ledger.readConversation(41)).marks).toEqual([
        { messageId: 12, status: "failed", externalError: "Not delivered: why." },
      ]);
    });

    it("counts attempts one by one, per delivery key, with the reason of the last failed one", async () => {
      const ledger = await make();
      expect(await ledger.readAttempts("msg_5")).toEqual({ attempts: 0 });
      expect(await ledger.countAttempt("msg_5", EXPIRES_AT, 4)).toBe(1);
      await ledger.recordAttemptFailure("msg_5", 1, "receiver answered 503");
      expect(await ledger.countAttempt("msg_5", EXPIRES_AT, 4)).toBe(2);
      expect(await ledger.countAttempt("redeliver-5-abc", EXPIRES_AT, 4)).toBe(1);
      expect(await ledger.readAttempts("msg_5")).toEqual({
        attempts: 2,
        lastReason: "receiver answered 503",
        lastReasonAttempt: 1,
      });
    });

    it("counts concurrent attempts without losing one", async () => {
      const ledger = await make();
      const counted = await Promise.all(Array.from({ length: 8 }, () => ledger.countAttempt("msg_6", EXPIRES_AT, 8)));
      expect(counted.map(Number).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    });

    it("counts no attempt past the limit, even when they race, and says none is left", async () => {
      const ledger = await make();
      const counted = await Promise.all(Array.from({ length: 6 }, () => ledger.countAttempt("msg_7", EXPIRES_AT, 4)));
      expect(counted.filter((n) => n !== undefined).sort()).toEqual([1, 2, 3, 4]);
      expect(counted.filter((n) => n === undefined)).toHaveLength(2);
      expect(await ledger.readAttempts("msg_7")).toEqual({ attempts: 4 });
    });
  });
}

ledgerContract("the in-memory fake", async () => new MemoryDeliveryLedger());
ledgerContract("DynamoDeliveryLedger on dynalite", async () => {
  const tableName = `bridge-ledger-${++tables}`;
  await ensureTable(embedded.endpoint, tableName);
  return new DynamoDeliveryLedger({ tableName, endpoint: embedded.endpoint });
});
