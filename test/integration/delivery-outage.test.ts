// A store outage longer than the whole retry schedule, then recovery (issue 12 item 3): the reply is delivered on
// its first attempt, because only POSTs to the receiver count. The real local store and queue, with the worker's
// state reached through a wrapper that fails while the "outage" lasts.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { DynamoDeliveryLedger } from "../../functions/adapters/dynamo-delivery-state.js";
import type { DeliveryLedger } from "../../functions/core/delivery-state-port.js";
import { receiverOf, sandboxOf, startTestBridge, type TestBridge } from "../support/bridge.js";
import { openConversation, settle, type Delivered } from "../support/replies.js";

/** Delegates to the real ledger; fails every call while `down` (a store outage or throttle, as a StoreError would). */
class OutageLedger implements DeliveryLedger {
  down = false;
  failures = 0;
  constructor(private readonly real: DeliveryLedger) {}
  private guard<T>(call: () => Promise<T>): Promise<T> {
    if (!this.down) return call();
    this.failures += 1;
    return Promise.reject(new Error("store unavailable (test outage)"));
  }
  readConversation: DeliveryLedger["readConversation"] = (id) => this.guard(() => this.real.readConversation(id));
  advanceCursor: DeliveryLedger["advanceCursor"] = (id, m) => this.guard(() => this.real.advanceCursor(id, m));
  recordStatus: DeliveryLedger["recordStatus"] = (id, s, at) => this.guard(() => this.real.recordStatus(id, s, at));
  savePendingMark: DeliveryLedger["savePendingMark"] = (id, m) => this.guard(() => this.real.savePendingMark(id, m));
  clearPendingMark: DeliveryLedger["clearPendingMark"] = (id, m) => this.guard(() => this.real.clearPendingMark(id, m));
  countAttempt: DeliveryLedger["countAttempt"] = (k, e, l) => this.guard(() => this.real.countAttempt(k, e, l));
  readAttempts: DeliveryLedger["readAttempts"] = (k) => this.guard(() => this.real.readAttempts(k));
  recordAttemptFailure: DeliveryLedger["recordAttemptFailure"] = (k, a, r) =>
    this.guard(() => this.real.recordAttemptFailure(k, a, r));
}

let t: TestBridge;
let ledger: OutageLedger | undefined;
beforeAll(async () => {
  t = await startTestBridge(
    { DELIVERY_RETRY_SCHEDULE: "20ms,20ms,20ms" },
    {
      overrides: (config) => {
        ledger = new OutageLedger(
          new DynamoDeliveryLedger({ tableName: config.tableName, endpoint: config.dynamodbEndpoint }),
        );
        return { ledger };
      },
    },
  );
});
afterAll(async () => t.close());

// Backoff doubles per receive (1, 2, 4, 8 s): a loaded machine may see a receive or two more before the store is back.
describe("a store outage longer than the whole retry schedule", { timeout: 150_000 }, () => {
  it("delivers the reply on its first attempt once the store is back", async () => {
    if (!ledger) throw new Error("the outage ledger was not built");
    const outage = ledger;
    const conversationId = await openConversation(t, "outage-1");
    await settle(t);
    outage.down = true;
    const reply = sandboxOf(t).reply(conversationId, "after the outage");
    // 60 ms of schedule; the outage lasts for four receives, backing off 1 + 2 + 4 s between them.
    await vi.waitFor(() => expect(outage.failures).toBeGreaterThanOrEqual(4), { timeout: 60_000, interval: 50 });
    expect(
      receiverOf(t)
        .received()
        .filter((d) => (d.body as Delivered).data.message?.id === reply.id),
    ).toEqual([]);
    outage.down = false;
    const delivery = await receiverOf(t).next((d) => (d.body as Delivered).data.message?.id === reply.id);
    expect(delivery.webhookId).toBe(`msg_${reply.id}`);
    await sandboxOf(t).waitForMessage((m) => m.id === reply.id && m.status === "delivered");
    expect(await outage.readAttempts(`msg_${reply.id}`)).toEqual({ attempts: 1 });
    const errored = t.logLines.filter((line) => line.includes('"event":"delivery.errored"'));
    expect(errored.length).toBeGreaterThanOrEqual(4);
  });
});
