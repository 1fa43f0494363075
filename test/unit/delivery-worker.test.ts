// The delivery worker's route on fakes, with event records (a deletion, an agent's Retry, records from before
// signals): one attempt per receive, counted in the table; a failed record sent back with its retry delay as its
// visibility; what is given up dead-lettered by the worker itself; (FIFO) every record after a failure sent back
// untried. Log lines carry ids and reasons, never content; each decision is one Deliveries metric by outcome.
import { beforeEach, describe, expect, it } from "vitest";
import type { QueuedDelivery } from "../../functions/core/webhook-events.js";
import { ScriptedReceiver } from "../support/delivery-fakes.js";
import { batch, sqsRecord, type WorkerHarness, workerHarness } from "../support/worker-harness.js";

const replyTo = (id: number, content: string): QueuedDelivery => ({
  type: "message.created",
  webhookId: `msg_${id}`,
  conversationId: 9,
  messageId: id,
  occurredAt: "2026-06-20T14:05:43.000Z",
  message: {
    id,
    content,
    content_type: "text",
    message_type: "outgoing",
    attachments: [],
    sender: { id: 2, name: "Sam", type: "user" },
    created_at: "2026-06-20T14:05:42.613Z",
  },
});

let h: WorkerHarness;
let chatwoot: WorkerHarness["chatwoot"];
let queueControl: WorkerHarness["queueControl"];
let logLines: string[];
let metricLines: string[];
let worker: WorkerHarness["worker"];
let events: WorkerHarness["events"];
let outcomes: WorkerHarness["outcomes"];
const record = sqsRecord;

beforeEach(async () => {
  h = await workerHarness();
  // The conversation's cursor is past these replies (an agent's Retry of a given-up reply): each record goes out on
  // its own. A reply the cursor has not passed goes with the pull (test below).
  await h.ledger.advanceCursor(9, 1_000);
  ({ chatwoot, queueControl, logLines, metricLines, worker, events, outcomes } = h);
});

describe("deliveryWorkerRoute", () => {
  it("delivers a record, reports no failure and leaves its visibility alone (Lambda deletes it)", async () => {
    const receiver = new ScriptedReceiver([{ kind: "delivered", status: 204 }]);
    expect(await worker(receiver)(batch(record("r1", replyTo(77, "Hi"))))).toEqual({ batchItemFailures: [] });
    expect(receiver.attempts.map((a) => a.webhookId)).toEqual(["msg_77"]);
    expect(queueControl.visibility).toEqual([]);
    expect(chatwoot.statuses.get(77)).toEqual({ status: "delivered" });
    expect(events()).toEqual(["delivery.delivered"]);
    expect(outcomes()).toEqual([["delivered", 1]]);
  });

  it("sends a failed attempt back with the schedule's delay for its attempt (counted in the table) as its visibility", async () => {
    await h.ledger.countAttempt("msg_77");
    const receiver = new ScriptedReceiver([{ kind: "failed", status: 503, reason: "receiver answered 503" }]);
    expect(await worker(receiver)(batch(record("r1", replyTo(77, "Hi"), 7)))).toEqual({
      batchItemFailures: [{ itemIdentifier: "r1" }],
    });
    expect(queueControl.visibility).toEqual([["handle-r1", 30]]);
    expect(chatwoot.statuses.get(77)).toBeUndefined();
    expect(events()).toEqual(["delivery.attempt_failed"]);
    expect(outcomes()).toEqual([["retry", 1]]);
  });

  it("marks the last failed attempt failed with the reason and dead-letters it itself; the record is finished", async () => {
    for (let i = 0; i < 3; i++) await h.ledger.countAttempt("msg_77");
    const receiver = new ScriptedReceiver([{ kind: "failed", status: 503, reason: "receiver answered 503" }]);
    expect(await worker(receiver)(batch(record("r1", replyTo(77, "Hi"), 4)))).toEqual({ batchItemFailures: [] });
    expect(queueControl.visibility).toEqual([]);
    expect(chatwoot.statuses.get(77)).toEqual({
      status: "failed",
      externalError: "Not delivered after 4 attempts: receiver answered 503.",
    });
    expect(h.deadLetters.sent.map((letter) => letter.deduplicationId)).toEqual(["dead-msg_77"]);
    expect(JSON.parse(logLines[0] ?? "")).toMatchObject({
      event: "delivery.dead_lettered",
      attempt: 4,
      status: 503,
      reason: "receiver answered 503",
    });
    expect(outcomes()).toEqual([["dead-letter", 1]]);
  });

  it("backs off on a store error, doubling from the schedule's first delay, without attempting a delivery", async () => {
    const receiver = new ScriptedReceiver([]);
    h.store.failNext(1);
    expect(await worker(receiver)(batch(record("r1", replyTo(77, "Hi"))))).toEqual({
      batchItemFailures: [{ itemIdentifier: "r1" }],
    });
    h.ledger.failNext(1);
    await worker(receiver)(batch(record("r1", replyTo(77, "Hi"), 3)));
    expect(receiver.attempts).toEqual([]);
    expect(queueControl.visibility).toEqual([
      ["handle-r1", 5],
      ["handle-r1", 20],
    ]);
    expect(events()).toEqual(["delivery.errored", "delivery.errored"]);
    expect(outcomes()).toEqual([
      ["errored", 1],
      ["errored", 1],
    ]);
  });

  it("delivers on the first attempt after store errors that outlast the whole retry schedule", async () => {
    const receiver = new ScriptedReceiver([{ kind: "delivered", status: 200 }]);
    let waitedSeconds = 0;
    let receive = 0;
    // 5 s + 30 s + 2 min = 155 s of schedule; the store stays down for longer than that.
    while (waitedSeconds <= 155) {
      receive += 1;
      h.ledger.failNext(1);
      const answer = await worker(receiver)(batch(record("r1", replyTo(77, "Hi"), receive)));
      expect(answer.batchItemFailures).toHaveLength(1);
      waitedSeconds += queueControl.visibility.at(-1)?.[1] ?? 0;
    }
    expect(await worker(receiver)(batch(record("r1", replyTo(77, "Hi"), receive + 1)))).toEqual({
      batchItemFailures: [],
    });
    expect(receiver.attempts).toHaveLength(1);
    expect(await h.ledger.readAttempts("msg_77")).toEqual({ attempts: 1 });
    expect(JSON.parse(logLines.at(-1) ?? "")).toMatchObject({ event: "delivery.delivered", attempt: 1 });
  });

  it("dead-letters an unreadable record itself at once, never dropping it silently", async () => {
    const receiver = new ScriptedReceiver([]);
    expect(await worker(receiver)(batch(record("r1", '{"type":"message.created"}')))).toEqual({
      batchItemFailures: [],
    });
    expect(receiver.attempts).toEqual([]);
    expect(h.deadLetters.sent).toEqual([
      { groupId: "unreadable", deduplicationId: "r1", body: '{"type":"message.created"}' },
    ]);
    expect(events()).toEqual(["delivery.unreadable"]);
    expect(outcomes()).toEqual([["unreadable", 1]]);
  });

  it("sends every record after a failure back untried and visible, so FIFO order holds", async () => {
    const receiver = new ScriptedReceiver([
      { kind: "delivered", status: 204 },
      { kind: "failed", status: 503, reason: "receiver answered 503" },
    ]);
    const answer = await worker(receiver)(
      batch(
        record("r1", replyTo(71, "one")),
        record("r2", replyTo(72, "two")),
        record("r3", replyTo(73, "three")),
        record("r4", replyTo(74, "four")),
      ),
    );
    expect(answer).toEqual({
      batchItemFailures: [{ itemIdentifier: "r2" }, { itemIdentifier: "r3" }, { itemIdentifier: "r4" }],
    });
    expect(receiver.attempts.map((a) => a.webhookId)).toEqual(["msg_71", "msg_72"]);
    expect(queueControl.visibility).toEqual([
      ["handle-r2", 5],
      ["handle-r3", 0],
      ["handle-r4", 0],
    ]);
    // Records sent back untried are no attempt: only the two tried are counted.
    expect(outcomes()).toEqual([
      ["delivered", 1],
      ["retry", 1],
    ]);
  });

  it("logs ids and outcomes, never the reply's content or the user id", async () => {
    const receiver = new ScriptedReceiver([{ kind: "failed", status: 503, reason: "receiver answered 503" }]);
    await worker(receiver)(batch(record("r1", replyTo(77, "a secret plan"))));
    expect(logLines).toHaveLength(1);
    expect(JSON.parse(logLines[0] ?? "")).toMatchObject({
      event: "delivery.attempt_failed",
      queue_message_id: "r1",
      webhook_id: "msg_77",
      conversation_id: 9,
      attempt: 1,
      status: 503,
      retry_in_ms: 5000,
      reason: "receiver answered 503",
    });
    expect(logLines.join("\n")).not.toMatch(/a secret plan|u-1/);
    expect(metricLines.join("\n")).not.toMatch(/a secret plan|u-1|msg_77/);
  });

  it("sends a reply announced again that the cursor has not passed with its conversation's pull, in order", async () => {
    const fresh = await workerHarness();
    const first = fresh.chatwoot.write(9, { content: "first" });
    const second = fresh.chatwoot.write(9, { content: "second" });
    const receiver = new ScriptedReceiver([]);
    // Chatwoot marked the second reply failed first (its webhook failed): both go out, the first first.
    await fresh.worker(receiver)(batch(record("r1", replyTo(second.id, "second"))));
    expect(receiver.attempts.map((a) => a.webhookId)).toEqual([`msg_${first.id}`, `msg_${second.id}`]);
  });
});
