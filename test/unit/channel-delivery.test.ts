// deliverEvent for issue 15: typing's expiry (dropped, never retried for long or dead-lettered), the user's message_id
// of a quoted message found in the message index, and delivered replies recorded so users can quote them.
import { beforeEach, describe, expect, it } from "vitest";
import { deliverEvent, type DeliveryDeps, type WorkResult } from "../../functions/core/delivery.js";
import type { QueuedDelivery } from "../../functions/core/webhook-events.js";
import { ScriptedReceiver, StatusChatwoot } from "../support/delivery-fakes.js";
import { MemoryMappingStore } from "../support/memory-mapping-store.js";
import { MemoryDeliveryLedger } from "../support/memory-delivery-ledger.js";
import { MemoryMessageIndex } from "../support/memory-message-index.js";
import { RecordingQueue } from "../support/route-harness.js";

const NOW = Date.parse("2026-06-20T14:05:43.000Z");
const SCHEDULE = [5_000, 30_000, 120_000];
const typing: QueuedDelivery = {
  type: "typing.started",
  webhookId: "typing_9_abc",
  conversationId: 9,
  sender: { id: 2, name: "Sam", type: "user" },
  occurredAt: "2026-06-20T14:05:43.000Z",
  expiresAt: NOW / 1000 + 30,
};

let store: MemoryMappingStore;
let index: MemoryMessageIndex;
let nowMs: number;
let ledger: MemoryDeliveryLedger;
const deps = (receiver: ScriptedReceiver): DeliveryDeps => ({
  ledger,
  queue: new RecordingQueue(),
  deadLetters: new RecordingQueue(),
  store,
  chatwoot: new StatusChatwoot(),
  delivery: receiver,
  clock: { now: () => nowMs },
  config: { deliveryRetryScheduleMs: SCHEDULE },
  messageIndex: index,
});

beforeEach(async () => {
  nowMs = NOW;
  store = new MemoryMappingStore();
  index = new MemoryMessageIndex();
  ledger = new MemoryDeliveryLedger();
  await store.acquireUserLease("u-1", "t", NOW + 60_000, NOW);
  await store.saveMapping(
    { userId: "u-1", contactId: 1, sourceId: "s", conversationId: 9, conversationStatus: "open" },
    "t",
  );
});

const decisionOf = (work: WorkResult) => work.items[0]?.decision;

describe("typing deliveries", () => {
  it("delivers typing.started with the sender", async () => {
    const receiver = new ScriptedReceiver([{ kind: "delivered", status: 200 }]);
    expect(decisionOf(await deliverEvent(deps(receiver), typing, { receiveCount: 1 }))?.kind).toBe("delivered");
    expect(JSON.parse(receiver.attempts[0]?.body ?? "")).toEqual({
      type: "typing.started",
      timestamp: "2026-06-20T14:05:43.000Z",
      data: { user_id: "u-1", thread_id: null, conversation_id: 9, sender: { id: 2, name: "Sam", type: "user" } },
    });
  });

  it("drops a typing event 30 s old without sending it", async () => {
    nowMs = NOW + 30_000;
    const receiver = new ScriptedReceiver([]);
    expect(decisionOf(await deliverEvent(deps(receiver), typing, { receiveCount: 1 }))).toEqual({
      kind: "skipped",
      reason: "expired",
    });
    expect(receiver.attempts).toEqual([]);
  });

  it("retries a failed typing event only while its next attempt is still within 30 s", async () => {
    const failed = { kind: "failed" as const, status: 503, reason: "receiver answered 503" };
    const soon = await deliverEvent(deps(new ScriptedReceiver([failed])), typing, { receiveCount: 1 });
    expect(decisionOf(soon)).toEqual({ kind: "retry", delaySeconds: 5, outcome: failed });
    nowMs = NOW + 10_000;
    // The second delay (30 s) would take it past its expiry: dropped now, not dead-lettered.
    const late = await deliverEvent(deps(new ScriptedReceiver([failed])), typing, { receiveCount: 2 });
    expect(decisionOf(late)).toEqual({ kind: "skipped", reason: "expired" });
    expect(late.retryInSeconds).toBeUndefined();
  });
});

describe("quotes in agent replies", () => {
  const quoting = (chatwootId: number, quotedSourceId?: string): QueuedDelivery => ({
    ...(quotedSourceId ? { quotedSourceId } : {}),
    type: "message.created",
    webhookId: "msg_80",
    conversationId: 9,
    messageId: 80,
    occurredAt: "2026-06-20T14:05:43.000Z",
    message: {
      id: 80,
      content: "About that",
      content_type: "text",
      message_type: "outgoing",
      attachments: [],
      sender: { id: 2, name: "Sam", type: "user" },
      created_at: "2026-06-20T14:05:42.613Z",
      reply_to: { message_id: null, chatwoot_message_id: chatwootId },
    },
  });
  const replyToOf = (receiver: ScriptedReceiver) =>
    (JSON.parse(receiver.attempts[0]?.body ?? "") as { data: { message: { reply_to: unknown } } }).data.message
      .reply_to;

  it("names the user's message_id when the quoted message is this conversation's user's", async () => {
    await index.record({
      conversationId: 9,
      chatwootMessageId: 70,
      user: { userId: "u-1", messageId: "m-7", sourceId: "x" },
    });
    const receiver = new ScriptedReceiver([]);
    await deliverEvent(deps(receiver), quoting(70, "x"), { receiveCount: 1 });
    expect(replyToOf(receiver)).toEqual({ message_id: "m-7", chatwoot_message_id: 70 });
  });

  it("keeps message_id null for a message of another conversation with the same source_id", async () => {
    await index.record({
      conversationId: 8,
      chatwootMessageId: 71,
      user: { userId: "u-2", messageId: "m-1", sourceId: "y" },
    });
    const receiver = new ScriptedReceiver([]);
    await deliverEvent(deps(receiver), quoting(71, "y"), { receiveCount: 1 });
    expect(replyToOf(receiver)).toEqual({ message_id: null, chatwoot_message_id: 71 });
  });

  it("records a delivered reply in the index, so the user can quote it by chatwoot_message_id", async () => {
    await deliverEvent(deps(new ScriptedReceiver([])), quoting(70), { receiveCount: 1 });
    expect(await index.findByChatwootId(80)).toEqual({ conversationId: 9, chatwootMessageId: 80 });
  });
});
