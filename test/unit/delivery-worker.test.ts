// The delivery worker's route on fakes: one attempt per record, each failed record sent back with its retry delay as
// its visibility, and (FIFO) every record after a failure sent back untried. Log lines carry ids, never content;
// each record attempted is one Deliveries metric by outcome.
import type { SQSEvent, SQSRecord } from "aws-lambda";
import { beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../functions/config.js";
import type { QueueControl } from "../../functions/core/ports.js";
import type { QueuedDelivery } from "../../functions/core/webhook-events.js";
import { createLogger } from "../../functions/log.js";
import { createMetrics } from "../../functions/metrics.js";
import { deliveryWorkerRoute, type WorkerDeps } from "../../functions/routes/delivery-worker.js";
import { ScriptedReceiver, StatusChatwoot } from "../support/delivery-fakes.js";
import { MemoryMessageIndex } from "../support/memory-message-index.js";
import { metricEvents } from "../support/emf.js";
import { MemoryMappingStore } from "../support/memory-mapping-store.js";

/** Remembers every ChangeMessageVisibility, as SQS would apply it. */
class RecordingQueueControl implements QueueControl {
  readonly visibility: Array<[receiptHandle: string, seconds: number]> = [];
  async setVisibility(receiptHandle: string, seconds: number): Promise<void> {
    this.visibility.push([receiptHandle, seconds]);
  }
}

const config = loadConfig({
  CHATWOOT_ACCOUNT_ID: "3",
  CHATWOOT_INBOX_ID: "12",
  CHATWOOT_API_TOKEN: "token-value",
  CHATWOOT_WEBHOOK_SECRET: "webhook-secret",
  BRIDGE_API_KEY: "a-bridge-api-key-of-length",
  DELIVERY_RETRY_SCHEDULE: "5s,30s,2m", // 4 attempts
});

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

function record(id: string, body: unknown, receiveCount = 1): SQSRecord {
  return {
    messageId: id,
    receiptHandle: `handle-${id}`,
    body: typeof body === "string" ? body : JSON.stringify(body),
    attributes: {
      ApproximateReceiveCount: String(receiveCount),
      SentTimestamp: "1781964342000",
      SenderId: "LOCAL",
      ApproximateFirstReceiveTimestamp: "1781964342000",
      MessageGroupId: "conversation-9",
    },
    messageAttributes: {},
    md5OfBody: "",
    eventSource: "aws:sqs",
    eventSourceARN: "arn:aws:sqs:local:000000000000:delivery.fifo",
    awsRegion: "local",
  };
}

const batch = (...records: SQSRecord[]): SQSEvent => ({ Records: records });

let store: MemoryMappingStore;
let chatwoot: StatusChatwoot;
let queueControl: RecordingQueueControl;
let logLines: string[];
let metricLines: string[];

beforeEach(async () => {
  store = new MemoryMappingStore();
  chatwoot = new StatusChatwoot();
  queueControl = new RecordingQueueControl();
  logLines = [];
  metricLines = [];
  await store.acquireUserLease("u-1", "t", Date.now() + 60_000, Date.now());
  await store.saveMapping(
    { userId: "u-1", contactId: 1, sourceId: "s", conversationId: 9, conversationStatus: "open" },
    "t",
  );
});

function worker(receiver: ScriptedReceiver): ReturnType<typeof deliveryWorkerRoute> {
  const deps: WorkerDeps = {
    config,
    log: createLogger({}, (line) => logLines.push(line), "debug"),
    metrics: createMetrics((line) => metricLines.push(line)),
    clock: { now: () => Date.now() },
    store,
    messageIndex: new MemoryMessageIndex(),
    chatwoot,
    queueControl,
    delivery: receiver,
  };
  return deliveryWorkerRoute(deps);
}

const events = () => logLines.map((line) => (JSON.parse(line) as { event: string }).event);
/** The Deliveries metric's outcomes, one per record attempted. */
const outcomes = () => metricEvents(metricLines).map((event) => [event.Outcome, event.Deliveries]);

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

  it("sends a failed attempt back with the schedule's delay as its visibility", async () => {
    const receiver = new ScriptedReceiver([{ kind: "failed", status: 503, reason: "receiver answered 503" }]);
    expect(await worker(receiver)(batch(record("r1", replyTo(77, "Hi"), 2)))).toEqual({
      batchItemFailures: [{ itemIdentifier: "r1" }],
    });
    expect(queueControl.visibility).toEqual([["handle-r1", 30]]);
    expect(chatwoot.statuses.get(77)).toBeUndefined();
    expect(events()).toEqual(["delivery.attempt_failed"]);
    expect(outcomes()).toEqual([["retry", 1]]);
  });

  it("marks the last failed attempt failed and releases it at once (visibility 0) for the DLQ", async () => {
    const receiver = new ScriptedReceiver([{ kind: "failed", status: 503, reason: "receiver answered 503" }]);
    expect(await worker(receiver)(batch(record("r1", replyTo(77, "Hi"), 4)))).toEqual({
      batchItemFailures: [{ itemIdentifier: "r1" }],
    });
    expect(queueControl.visibility).toEqual([["handle-r1", 0]]);
    expect(chatwoot.statuses.get(77)).toEqual({
      status: "failed",
      externalError: "Not delivered after 4 attempts: receiver answered 503.",
    });
    expect(events()).toEqual(["delivery.dead_lettered"]);
    expect(outcomes()).toEqual([["dead-letter", 1]]);
  });

  it("retries in 30 s when the store is down, without attempting a delivery", async () => {
    const receiver = new ScriptedReceiver([]);
    store.failNext(1);
    expect(await worker(receiver)(batch(record("r1", replyTo(77, "Hi"))))).toEqual({
      batchItemFailures: [{ itemIdentifier: "r1" }],
    });
    expect(receiver.attempts).toEqual([]);
    expect(queueControl.visibility).toEqual([["handle-r1", 30]]);
    expect(events()).toEqual(["delivery.errored"]);
    expect(outcomes()).toEqual([["errored", 1]]);
  });

  it("leaves an unreadable record to the dead-letter queue (visibility 0), never dropping it silently", async () => {
    const receiver = new ScriptedReceiver([]);
    expect(await worker(receiver)(batch(record("r1", '{"type":"message.created"}')))).toEqual({
      batchItemFailures: [{ itemIdentifier: "r1" }],
    });
    expect(receiver.attempts).toEqual([]);
    expect(queueControl.visibility).toEqual([["handle-r1", 0]]);
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
    });
    expect(logLines.join("\n")).not.toMatch(/a secret plan|u-1/);
    expect(metricLines.join("\n")).not.toMatch(/a secret plan|u-1|msg_77/);
  });
});
