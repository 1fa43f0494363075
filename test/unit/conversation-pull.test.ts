// The worker's answer to "conversation N changed" on fakes (docs/delivery.md): Chatwoot's messages after the
// cursor, each agent reply delivered in id order and the cursor moved past it; a failing reply holds back the later
// ones until it is given up; a conversation without a cursor never re-delivers what went out before.
import { beforeEach, describe, expect, it } from "vitest";
import type { ConversationSignal } from "../../functions/core/conversation-signal.js";
import { ScriptedReceiver } from "../support/delivery-fakes.js";
import { batch, sqsRecord, type WorkerHarness, workerHarness } from "../support/worker-harness.js";

const signal = (fields: Partial<ConversationSignal> = {}): ConversationSignal => ({
  type: "conversation.changed",
  conversationId: 9,
  occurredAt: "2026-06-20T14:05:43.000Z",
  origin: "webhook",
  ...fields,
});
const failing = { kind: "failed", status: 503, reason: "receiver answered 503" } as const;
const ok = { kind: "delivered", status: 200 } as const;

let h: WorkerHarness;
beforeEach(async () => {
  h = await workerHarness();
});

/** One receive of a signal record; the delay it comes back after, or undefined when it is finished. */
async function receive(receiver: ScriptedReceiver, body: ConversationSignal, count = 1): Promise<number | undefined> {
  const before = h.queueControl.visibility.length;
  const answer = await h.worker(receiver)(batch(sqsRecord("r1", body, count)));
  if (answer.batchItemFailures.length === 0) return undefined;
  return h.queueControl.visibility[before]?.[1];
}

const deliveredIds = (receiver: ScriptedReceiver) =>
  receiver.attempts.map((a) => (JSON.parse(a.body) as { data: { message?: { id: number } } }).data.message?.id);

describe("pullConversation", () => {
  it("delivers the agent replies after the cursor in id order, skipping notes, incoming and echoes", async () => {
    const first = h.chatwoot.write(9);
    h.chatwoot.write(9, { private: true });
    h.chatwoot.write(9, { messageType: "incoming", sender: null });
    h.chatwoot.write(9, { sourceId: "cwb-echo" });
    const template = h.chatwoot.write(9, { messageType: "template", sender: null });
    const deleted = h.chatwoot.write(9, { deleted: true });
    const receiver = new ScriptedReceiver([]);
    expect(await receive(receiver, signal({ messageId: first.id }))).toBeUndefined();
    expect(deliveredIds(receiver)).toEqual([first.id, template.id]);
    expect(JSON.parse(receiver.attempts[1]?.body ?? "")).toEqual({
      type: "message.created",
      timestamp: "2026-06-20T14:05:43.000Z",
      data: {
        user_id: "u-1",
        thread_id: null,
        conversation_id: 9,
        message: {
          id: template.id,
          content: template.content,
          content_type: "text",
          message_type: "template",
          attachments: [],
          sender: null,
          created_at: "2026-06-20T14:05:42.000Z",
        },
      },
    });
    expect((await h.ledger.readConversation(9)).cursor).toBe(deleted.id);
    expect([h.chatwoot.statuses.get(first.id)?.status, h.chatwoot.statuses.get(template.id)?.status]).toEqual([
      "delivered",
      "delivered",
    ]);
  });

  it("delivers nothing twice: a repeated or late signal finds the cursor past every reply", async () => {
    const reply = h.chatwoot.write(9);
    const receiver = new ScriptedReceiver([]);
    await receive(receiver, signal({ messageId: reply.id }));
    await receive(receiver, signal({ messageId: reply.id, origin: "sweep" }));
    expect(deliveredIds(receiver)).toEqual([reply.id]);
  });

  it("writes the cursor once per reply, and not at all for a signal with nothing new", async () => {
    const cursorWrites: number[] = [];
    const advance = h.ledger.advanceCursor.bind(h.ledger);
    h.ledger.advanceCursor = (conversationId, messageId) => {
      cursorWrites.push(messageId);
      return advance(conversationId, messageId);
    };
    await receive(new ScriptedReceiver([]), signal());
    const first = h.chatwoot.write(9);
    const note = h.chatwoot.write(9, { private: true });
    const second = h.chatwoot.write(9);
    cursorWrites.length = 0;
    await receive(new ScriptedReceiver([]), signal({ messageId: second.id }));
    // Past each reply as it is finished; past the note only with the reply after it.
    expect(cursorWrites).toEqual([first.id, second.id]);
    expect(note.id).toBeLessThan(second.id);
    cursorWrites.length = 0;
    await receive(new ScriptedReceiver([]), signal({ messageId: second.id }));
    expect(cursorWrites).toEqual([]);
    const trailingNote = h.chatwoot.write(9, { private: true });
    await receive(new ScriptedReceiver([]), signal());
    expect(cursorWrites).toEqual([trailingNote.id]);
  });

  it("holds later replies back while an earlier one is retried, then delivers them in order", async () => {
    const [a, b, c] = [h.chatwoot.write(9), h.chatwoot.write(9), h.chatwoot.write(9)];
    const receiver = new ScriptedReceiver([ok, failing, ok, ok]);
    expect(await receive(receiver, signal())).toBe(5);
    expect((await h.ledger.readConversation(9)).cursor).toBe(a?.id);
    expect(await receive(receiver, signal(), 2)).toBeUndefined();
    expect(deliveredIds(receiver)).toEqual([a?.id, b?.id, b?.id, c?.id]);
    expect(await h.ledger.readAttempts(`msg_${b?.id}`)).toMatchObject({ attempts: 2 });
  });

  it("gives a reply up after its last attempt and goes on with the next: a dead reply blocks nothing", async () => {
    const [a, b] = [h.chatwoot.write(9), h.chatwoot.write(9)];
    const receiver = new ScriptedReceiver([failing, failing, failing, failing, ok]);
    const delays = [];
    for (let count = 1; count <= 4; count++) delays.push(await receive(receiver, signal(), count));
    expect(delays).toEqual([5, 30, 120, undefined]);
    expect(deliveredIds(receiver)).toEqual([a?.id, a?.id, a?.id, a?.id, b?.id]);
    expect(h.chatwoot.statuses.get(a?.id ?? 0)).toEqual({
      status: "failed",
      externalError: "Not delivered after 4 attempts: receiver answered 503.",
    });
    expect(h.deadLetters.sent.map((letter) => letter.deduplicationId)).toEqual([`dead-msg_${a?.id}`]);
    expect((await h.ledger.readConversation(9)).cursor).toBe(b?.id);
  });

  it("spends no attempt when Chatwoot cannot be read, and backs off", async () => {
    h.chatwoot.write(9);
    h.chatwoot.failReads = 1;
    const receiver = new ScriptedReceiver([]);
    expect(await receive(receiver, signal(), 2)).toBe(10);
    expect(receiver.attempts).toEqual([]);
    expect(h.ledger.attempts.size).toBe(0);
  });

  it("starts a conversation without a cursor after the newest reply it knows went out (an upgraded install)", async () => {
    const old = h.chatwoot.write(9);
    const delivered = h.chatwoot.write(9);
    await h.store.claimOnce(`delivered:msg_${delivered.id}`, Math.floor(Date.now() / 1000) + 60);
    h.chatwoot.write(9, { messageType: "incoming", sender: null });
    const fresh = h.chatwoot.write(9);
    const receiver = new ScriptedReceiver([]);
    await receive(receiver, signal({ messageId: fresh.id }));
    expect(deliveredIds(receiver)).toEqual([fresh.id]);
    expect(old.id).toBeLessThan(delivered.id);
  });

  it("starts after a reply Chatwoot shows read or the bridge gave up on, but delivers one Chatwoot failed itself", async () => {
    h.chatwoot.write(9, { status: "read" });
    h.chatwoot.write(9, { status: "failed", externalError: "Not delivered after 10 attempts: receiver answered 500." });
    const lostWebhook = h.chatwoot.write(9, { status: "failed", externalError: "500 Internal Server Error" });
    const receiver = new ScriptedReceiver([]);
    await receive(receiver, signal());
    expect(deliveredIds(receiver)).toEqual([lostWebhook.id]);
  });

  it("keeps a delivered mark Chatwoot refused pending and retries it with the next pull, delivering nothing again", async () => {
    const reply = h.chatwoot.write(9);
    h.chatwoot.failStatusUpdates = true;
    const receiver = new ScriptedReceiver([]);
    await receive(receiver, signal());
    expect((await h.ledger.readConversation(9)).marks).toEqual([{ messageId: reply.id, status: "delivered" }]);
    expect(h.queue.sent.map((event) => event.groupId)).toEqual(["marks-conversation-9"]);
    h.chatwoot.failStatusUpdates = false;
    await receive(receiver, signal({ origin: "sweep" }));
    expect(h.chatwoot.statuses.get(reply.id)).toEqual({ status: "delivered" });
    expect((await h.ledger.readConversation(9)).marks).toEqual([]);
    expect(deliveredIds(receiver)).toEqual([reply.id]);
  });

  it("retries pending marks from their own record, with a backoff while Chatwoot still refuses", async () => {
    const reply = h.chatwoot.write(9);
    await h.ledger.savePendingMark(9, { messageId: reply.id, status: "failed", externalError: "why" });
    const marks = { type: "reply.marks", conversationId: 9 };
    h.chatwoot.failStatusUpdates = true;
    const receiver = new ScriptedReceiver([]);
    expect((await h.worker(receiver)(batch(sqsRecord("m1", marks, 1)))).batchItemFailures).toHaveLength(1);
    h.chatwoot.failStatusUpdates = false;
    expect((await h.worker(receiver)(batch(sqsRecord("m1", marks, 2)))).batchItemFailures).toEqual([]);
    expect(h.chatwoot.statuses.get(reply.id)).toEqual({ status: "failed", externalError: "why" });
    expect(receiver.attempts).toEqual([]);
  });
});

describe("the conversation's status in a signal", () => {
  const seen = (status: ConversationSignal["status"], statusAt: number) => signal({ status, statusAt });
  const statuses = (receiver: ScriptedReceiver) =>
    receiver.attempts.map((a) => (JSON.parse(a.body) as { data: { status?: string } }).data.status);

  it("applies a newer status, delivers it once, and ignores an older one that arrives late", async () => {
    const receiver = new ScriptedReceiver([]);
    await receive(receiver, seen("resolved", 100.5));
    await receive(receiver, seen("resolved", 100.5));
    await receive(receiver, seen("open", 99.1));
    expect(statuses(receiver)).toEqual(["resolved"]);
    expect((await h.store.getUser("u-1"))?.mapping?.conversationStatus).toBe("resolved");
  });

  it("leaves the mapping open when resolved-then-open arrives reversed, delivering no change", async () => {
    const receiver = new ScriptedReceiver([]);
    await receive(receiver, seen("open", 200.2));
    await receive(receiver, seen("resolved", 200.1));
    expect(statuses(receiver)).toEqual([]);
    expect((await h.store.getUser("u-1"))?.mapping?.conversationStatus).toBe("open");
  });

  it("delivers a status change between the replies written before it and those written after it", async () => {
    const before = h.chatwoot.write(9, { createdAt: 100 });
    const after = h.chatwoot.write(9, { createdAt: 102 });
    const receiver = new ScriptedReceiver([]);
    await receive(receiver, seen("resolved", 101.5));
    const order = receiver.attempts.map((a) => a.webhookId);
    expect(order).toEqual([`msg_${before.id}`, "conv_9_resolved_1015", `msg_${after.id}`]);
  });
});

describe("the invocation's time", () => {
  it("stops before a reply that might not fit and comes back at once, spending no attempt", async () => {
    const [a, b] = [h.chatwoot.write(9), h.chatwoot.write(9)];
    const receiver = new ScriptedReceiver([]);
    let remainingMs = 300_000;
    const context = { getRemainingTimeInMillis: () => remainingMs };
    const send = receiver.send.bind(receiver);
    // The first delivery takes the invocation close to its end.
    receiver.send = async (attempt) => {
      remainingMs = 1_000;
      return send(attempt);
    };
    const answer = await h.worker(receiver)(batch(sqsRecord("r1", signal(), 1)), context);
    expect(answer.batchItemFailures).toEqual([{ itemIdentifier: "r1" }]);
    expect(h.queueControl.visibility).toEqual([["handle-r1", 0]]);
    expect(deliveredIds(receiver)).toEqual([a?.id]);
    expect(await h.ledger.readAttempts(`msg_${b?.id}`)).toEqual({ attempts: 0 });
  });
});
