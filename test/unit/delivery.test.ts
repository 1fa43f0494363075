import { beforeEach, describe, expect, it } from "vitest";
import { NO_USER_REASON } from "../../functions/core/conversation-owner.js";
import { type DeliveryDecision, deliverEvent, type DeliveryDeps } from "../../functions/core/delivery.js";
import { INTERRUPTED_REASON } from "../../functions/core/tracked-delivery.js";
import type { DeliveryOutcome } from "../../functions/core/ports.js";
import type { QueuedDelivery } from "../../functions/core/webhook-events.js";
import { ScriptedReceiver, StatusChatwoot } from "../support/delivery-fakes.js";
import { MemoryDeliveryLedger } from "../support/memory-delivery-ledger.js";
import { MemoryMappingStore } from "../support/memory-mapping-store.js";
import { RecordingQueue } from "../support/route-harness.js";

const SCHEDULE = [5_000, 30_000, 120_000]; // 4 attempts
const reply: QueuedDelivery = {
  type: "message.created",
  webhookId: "msg_77",
  conversationId: 9,
  messageId: 77,
  occurredAt: "2026-06-20T14:05:43.000Z",
  message: {
    id: 77,
    content: "Hi",
    content_type: "text",
    message_type: "outgoing",
    attachments: [],
    sender: { id: 2, name: "Sam", type: "user" },
    created_at: "2026-06-20T14:05:42.613Z",
  },
};
const failing = (reason: string): DeliveryOutcome => ({ kind: "failed", status: 503, reason });

let store: MemoryMappingStore;
let chatwoot: StatusChatwoot;
let ledger: MemoryDeliveryLedger;
let queue: RecordingQueue;
let deadLetters: RecordingQueue;
const deps = (receiver: ScriptedReceiver): DeliveryDeps => ({
  store,
  chatwoot,
  delivery: receiver,
  clock: { now: () => Date.now() },
  config: { deliveryRetryScheduleMs: SCHEDULE },
  ledger,
  queue,
  deadLetters,
});

/** The one decision deliverEvent made on this receive of the record. */
async function decide(
  receiver: ScriptedReceiver,
  queued: QueuedDelivery,
  receiveCount: number,
): Promise<DeliveryDecision> {
  const work = await deliverEvent(deps(receiver), queued, { receiveCount });
  expect(work.items).toHaveLength(1);
  const decision = work.items[0]?.decision;
  if (!decision) throw new Error("no decision");
  return decision;
}

beforeEach(async () => {
  store = new MemoryMappingStore();
  chatwoot = new StatusChatwoot();
  ledger = new MemoryDeliveryLedger();
  queue = new RecordingQueue();
  deadLetters = new RecordingQueue();
  await store.acquireUserLease("u-1", "t", Date.now() + 60_000, Date.now());
  await store.saveMapping(
    { userId: "u-1", contactId: 1, sourceId: "s", conversationId: 9, conversationStatus: "open" },
    "t",
  );
});

describe("deliverEvent", () => {
  it("delivers the spec's body, marks the message delivered, and skips the same event afterwards", async () => {
    const receiver = new ScriptedReceiver([{ kind: "delivered", status: 204 }]);
    expect(await decide(receiver, reply, 1)).toEqual({
      kind: "delivered",
      status: 204,
      statusReported: true,
      adopted: false,
    });
    expect(JSON.parse(receiver.attempts[0]?.body ?? "")).toEqual({
      type: "message.created",
      timestamp: "2026-06-20T14:05:43.000Z",
      data: { user_id: "u-1", thread_id: null, conversation_id: 9, message: reply.message },
    });
    expect(chatwoot.statuses.get(77)).toEqual({ status: "delivered" });
    expect(await decide(receiver, reply, 1)).toEqual({
      kind: "skipped",
      reason: "already delivered",
    });
    expect(receiver.attempts).toHaveLength(1);
  });

  it("never delivers a reply in a conversation of no user, and marks it failed with why and what would fix it", async () => {
    const receiver = new ScriptedReceiver([]);
    const orphan = { ...reply, conversationId: 10, contact: { contactId: 5, sourceId: "c0ffee-uuid" } };
    expect(await decide(receiver, orphan, 1)).toEqual({
      kind: "undeliverable",
      reason: NO_USER_REASON,
      statusReported: true,
    });
    expect(receiver.attempts).toEqual([]);
    expect(chatwoot.statuses.get(77)).toEqual({ status: "failed", externalError: NO_USER_REASON });
    expect(await store.findUserByConversation(10)).toBeUndefined();
  });

  it.each([
    ["a control character", "u-9\n"],
    ["nothing visible", "\u200b"],
    ["a bidi control", "\u202eu-9"],
    ["over 255 characters", "u".repeat(256)],
  ])("refuses an identifier with %s as a user_id: the reply is marked failed, no mapping made", async (_, id) => {
    const receiver = new ScriptedReceiver([]);
    const typed = { ...reply, conversationId: 16, contact: { contactId: 8, sourceId: "uuid-2", identifier: id } };
    expect(await decide(receiver, typed, 1)).toMatchObject({
      kind: "undeliverable",
      reason: NO_USER_REASON,
    });
    expect(receiver.attempts).toEqual([]);
    expect(await store.findUserByConversation(16)).toBeUndefined();
    expect(await store.getUser(id)).toBeUndefined();
  });

  it("delivers a deleted reply's deletion only when the reply itself went out", async () => {
    const receiver = new ScriptedReceiver([{ kind: "delivered", status: 204 }]);
    const deletion: QueuedDelivery = {
      type: "message.deleted",
      webhookId: "msg_77_deleted",
      conversationId: 9,
      messageId: 77,
      occurredAt: reply.occurredAt,
    };
    // Deleted before the worker read it: the receiver never had the reply, so its deletion is no news.
    expect(await decide(receiver, deletion, 1)).toEqual({ kind: "skipped", reason: "never delivered" });
    expect([receiver.attempts, chatwoot.statuses.size]).toEqual([[], 0]);
    await store.claimOnce("delivered:msg_77", Math.ceil(Date.now() / 1000) + 60);
    expect(await decide(receiver, deletion, 1)).toMatchObject({ kind: "delivered", status: 204 });
    expect(JSON.parse(receiver.attempts[0]?.body ?? "")).toMatchObject({ type: "message.deleted" });
  });

  it("skips a status change in a conversation of no user: there is no message to mark", async () => {
    const receiver = new ScriptedReceiver([]);
    const change: QueuedDelivery = {
      type: "conversation.status_changed",
      webhookId: "conv_10_resolved_1",
      conversationId: 10,
      status: "resolved",
      occurredAt: reply.occurredAt,
    };
    expect(await decide(receiver, change, 1)).toEqual({ kind: "skipped", reason: "unmapped conversation" });
    expect(receiver.attempts).toEqual([]);
    expect(chatwoot.statuses.size).toBe(0);
  });

  it("delivers a reply in a conversation it did not create to the user whose source_id it carries", async () => {
    const receiver = new ScriptedReceiver([{ kind: "delivered", status: 200 }]);
    // A merged contact: the identifier names someone else, the source_id stays the bridge's (CONTRACT-addendum §A.5).
    const started = { ...reply, conversationId: 11, contact: { contactId: 8, sourceId: "s", identifier: "u-other" } };
    expect(await decide(receiver, started, 1)).toMatchObject({ kind: "delivered", adopted: true });
    expect(JSON.parse(receiver.attempts[0]?.body ?? "").data).toMatchObject({ user_id: "u-1", conversation_id: 11 });
    expect(await store.findUserByConversation(11)).toEqual({ userId: "u-1" });
    expect((await store.getUser("u-1"))?.mapping).toEqual({
      userId: "u-1",
      contactId: 1,
      sourceId: "s",
      conversationId: 11,
      conversationStatus: "open",
    });
  });

  it("gives a conversation to the one thread whose create timed out, not to the default thread", async () => {
    await store.acquireUserLease("u-1", "t2", Date.now() + 60_000, Date.now(), "order-9");
    await store.listThread("u-1", "order-9");
    await store.saveMapping(
      { userId: "u-1", threadId: "order-9", contactId: 1, sourceId: "s", conversationUnknown: true },
      "t2",
    );
    const receiver = new ScriptedReceiver([{ kind: "delivered", status: 200 }]);
    const late = { ...reply, conversationId: 13, contact: { contactId: 1, sourceId: "s", identifier: "u-1" } };
    expect(await decide(receiver, late, 1)).toMatchObject({ kind: "delivered", adopted: true });
    expect(JSON.parse(receiver.attempts[0]?.body ?? "").data).toMatchObject({ user_id: "u-1", thread_id: "order-9" });
    expect((await store.getUser("u-1", "order-9"))?.mapping?.conversationId).toBe(13);
    expect((await store.getUser("u-1"))?.mapping?.conversationId).toBe(9);
  });

  it("waits while the user's new thread is being created, then delivers the greeting to that thread", async () => {
    await store.acquireUserLease("u-1", "t3", Date.now() + 60_000, Date.now(), "order-3");
    await store.listThread("u-1", "order-3");
    const receiver = new ScriptedReceiver([{ kind: "delivered", status: 200 }]);
    const greeting = { ...reply, conversationId: 14, contact: { contactId: 1, sourceId: "s", identifier: "u-1" } };
    expect(await decide(receiver, greeting, 1)).toEqual({ kind: "deferred", delaySeconds: 2 });
    expect(await store.findUserByConversation(14)).toBeUndefined();
    expect(receiver.attempts).toEqual([]);
    await store.saveMapping(
      {
        userId: "u-1",
        threadId: "order-3",
        contactId: 1,
        sourceId: "s",
        conversationId: 14,
        conversationStatus: "open",
      },
      "t3",
    );
    expect(await decide(receiver, greeting, 2)).toMatchObject({ kind: "delivered", adopted: false });
    expect(JSON.parse(receiver.attempts[0]?.body ?? "").data).toMatchObject({ thread_id: "order-3" });
    expect((await store.getUser("u-1"))?.mapping?.conversationId).toBe(9);
  });

  it("stops waiting after ten receives: the conversation goes to the default thread rather than nowhere", async () => {
    await store.acquireUserLease("u-1", "t3", Date.now() + 60_000, Date.now(), "order-3");
    await store.listThread("u-1", "order-3");
    const receiver = new ScriptedReceiver([{ kind: "delivered", status: 200 }]);
    const late = { ...reply, conversationId: 15, contact: { contactId: 1, sourceId: "s", identifier: "u-1" } };
    expect(await decide(receiver, late, 10)).toMatchObject({ kind: "delivered", adopted: true });
  });

  it("delivers a reply in a conversation of a UI-created contact to the user its identifier names", async () => {
    const receiver = new ScriptedReceiver([{ kind: "delivered", status: 200 }]);
    const started = { ...reply, conversationId: 12, contact: { contactId: 8, sourceId: "uuid-1", identifier: "u-9" } };
    expect(await decide(receiver, started, 1)).toMatchObject({ kind: "delivered", adopted: true });
    expect(JSON.parse(receiver.attempts[0]?.body ?? "").data).toMatchObject({ user_id: "u-9", thread_id: null });
    expect((await store.getUser("u-9"))?.mapping).toEqual({
      userId: "u-9",
      contactId: 8,
      sourceId: "uuid-1",
      conversationId: 12,
    });
  });

  it("counts attempts in the table, not by receives, and waits the schedule's delay for attempt n before n+1", async () => {
    const receiver = new ScriptedReceiver([
      failing("receiver answered 503"),
      failing("receiver answered 503"),
      failing("receiver answered 503"),
    ]);
    const delays = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      // Receives 7 to 9: receives spent on store errors before do not use up attempts.
      const decision = await decide(receiver, reply, attempt + 6);
      delays.push(decision.kind === "retry" ? decision.delaySeconds : decision.kind);
    }
    expect(delays).toEqual([5, 30, 120]);
    expect(await ledger.readAttempts("msg_77")).toEqual({
      attempts: 3,
      lastReason: "receiver answered 503",
      lastReasonAttempt: 3,
    });
    expect(chatwoot.statuses.get(77)).toBeUndefined();
  });

  it("marks the message failed with the reason and dead-letters it itself after the last attempt", async () => {
    for (let i = 0; i < 3; i++) await ledger.countAttempt("msg_77");
    const receiver = new ScriptedReceiver([failing("receiver timed out after 10s")]);
    expect(await decide(receiver, reply, 4)).toEqual({
      kind: "dead-letter",
      reason: "receiver timed out after 10s",
      outcome: failing("receiver timed out after 10s"),
    });
    expect(chatwoot.statuses.get(77)).toEqual({
      status: "failed",
      externalError: "Not delivered after 4 attempts: receiver timed out after 10s.",
    });
    expect(deadLetters.sent.map((letter) => [letter.groupId, letter.deduplicationId])).toEqual([
      ["conversation-9", "dead-msg_77"],
    ]);
    expect(JSON.parse(deadLetters.sent[0]?.body ?? "")).toEqual({ ...reply, reason: "receiver timed out after 10s" });
  });

  it("gives up without a new attempt when the last one was counted but never finished (a crash)", async () => {
    for (let i = 0; i < 4; i++) await ledger.countAttempt("msg_77");
    await ledger.recordAttemptFailure("msg_77", 3, "receiver answered 503");
    const receiver = new ScriptedReceiver([]);
    expect(await decide(receiver, reply, 5)).toEqual({ kind: "dead-letter", reason: INTERRUPTED_REASON });
    expect(receiver.attempts).toEqual([]);
    expect(chatwoot.statuses.get(77)).toEqual({
      status: "failed",
      externalError: `Not delivered after 4 attempts: ${INTERRUPTED_REASON}.`,
    });
    expect(deadLetters.sent).toHaveLength(1);
  });

  it("marks a delivered reply delivered again when Chatwoot marked it failed (its webhook to us timed out)", async () => {
    const receiver = new ScriptedReceiver([{ kind: "delivered", status: 200 }]);
    await decide(receiver, reply, 1);
    chatwoot.statuses.set(77, { status: "failed", externalError: "Net::ReadTimeout" });
    const marking = { ...reply, attemptKey: "redeliver-77-f00d", chatwootFailed: true };
    expect(await decide(receiver, marking, 1)).toEqual({ kind: "skipped", reason: "already delivered" });
    expect(chatwoot.statuses.get(77)).toEqual({ status: "delivered" });
    expect(receiver.attempts).toHaveLength(1);
  });

  it("gives an agent's Retry fresh attempts under its own key", async () => {
    for (let i = 0; i < 4; i++) await ledger.countAttempt("msg_77");
    const receiver = new ScriptedReceiver([{ kind: "delivered", status: 200 }]);
    const retried = { ...reply, attemptKey: "redeliver-77-abc" };
    expect(await decide(receiver, retried, 1)).toMatchObject({ kind: "delivered" });
    expect((await ledger.readAttempts("redeliver-77-abc")).attempts).toBe(1);
  });

  it("stops at once on 410 Gone and tells the agent", async () => {
    const receiver = new ScriptedReceiver([{ kind: "gone", status: 410 }]);
    expect(await decide(receiver, reply, 1)).toEqual({ kind: "stopped", status: 410 });
    expect(chatwoot.statuses.get(77)).toEqual({
      status: "failed",
      externalError: "The receiving system answered 410 Gone; delivery was stopped.",
    });
  });

  it("keeps a delivery that succeeded even when Chatwoot cannot be told, and never re-delivers it", async () => {
    chatwoot.failStatusUpdates = true;
    const receiver = new ScriptedReceiver([{ kind: "delivered", status: 200 }]);
    expect(await decide(receiver, reply, 1)).toEqual({
      kind: "delivered",
      status: 200,
      statusReported: false,
      adopted: false,
    });
    expect(await decide(receiver, reply, 2)).toEqual({ kind: "skipped", reason: "already delivered" });
    // The mark waits in the ledger, and its own queue record (not the conversation's group) retries it.
    expect((await ledger.readConversation(9)).marks).toEqual([{ messageId: 77, status: "delivered" }]);
    expect(queue.sent.map((event) => [event.groupId, event.deduplicationId, JSON.parse(event.body)])).toEqual([
      ["marks-conversation-9", "marks-77-delivered", { type: "reply.marks", conversationId: 9 }],
    ]);
  });

  it("updates the mapping's status before delivering a status change", async () => {
    const receiver = new ScriptedReceiver([]);
    const change: QueuedDelivery = {
      type: "conversation.status_changed",
      webhookId: "conv_9_resolved_1",
      conversationId: 9,
      status: "resolved",
      occurredAt: reply.occurredAt,
    };
    expect(await decide(receiver, change, 1)).toMatchObject({ kind: "delivered" });
    expect((await store.getUser("u-1"))?.mapping?.conversationStatus).toBe("resolved");
    expect(JSON.parse(receiver.attempts[0]?.body ?? "")).toEqual({
      type: "conversation.status_changed",
      timestamp: reply.occurredAt,
      data: { user_id: "u-1", thread_id: null, conversation_id: 9, status: "resolved" },
    });
  });
});
