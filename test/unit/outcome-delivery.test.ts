// message.posted / message.failed through the delivery worker (spec §5): the record names its owner, so it is
// delivered with no conversation lookup and no Chatwoot call; retried on the schedule, sent once, then dead-lettered.
import type { SQSRecord } from "aws-lambda";
import { beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../functions/config.js";
import { failedRecord, outcomeBody, parseOutcomeRecord, postedRecord } from "../../functions/core/outcome-delivery.js";
import type { QueueControl } from "../../functions/core/ports.js";
import { createLogger } from "../../functions/log.js";
import { createMetrics } from "../../functions/metrics.js";
import { deliveryWorkerRoute } from "../../functions/routes/delivery-worker.js";
import { ScriptedReceiver, StatusChatwoot } from "../support/delivery-fakes.js";
import { MemoryDeliveryLedger } from "../support/memory-delivery-ledger.js";
import { MemoryMappingStore } from "../support/memory-mapping-store.js";
import { MemoryMessageIndex } from "../support/memory-message-index.js";
import { RecordingQueue } from "../support/route-harness.js";

const config = loadConfig({
  CHATWOOT_ACCOUNT_ID: "3",
  CHATWOOT_INBOX_ID: "12",
  CHATWOOT_API_TOKEN: "token-value",
  CHATWOOT_WEBHOOK_SECRET: "webhook-secret",
  BRIDGE_API_KEY: "a-bridge-api-key-of-length",
  DELIVERY_RETRY_SCHEDULE: "5s,30s", // 3 attempts
});
const OWNER = { userId: "u-1", threadId: "order-5", messageId: "m-1" };
const POSTED = { messageId: "m-1", chatwootMessageId: 20001, conversationId: 7, contactId: 3, sourceId: "cwb-s" };
const AT = "2026-06-20T14:01:09.120Z";

class RecordingQueueControl implements QueueControl {
  readonly visibility: Array<[string, number]> = [];
  async setVisibility(receiptHandle: string, seconds: number): Promise<void> {
    this.visibility.push([receiptHandle, seconds]);
  }
}

function sqsRecord(body: string, receiveCount: number): SQSRecord {
  return {
    messageId: `q-${receiveCount}`,
    receiptHandle: `handle-${receiveCount}`,
    body,
    attributes: {
      ApproximateReceiveCount: String(receiveCount),
      SentTimestamp: "1781964342000",
      SenderId: "LOCAL",
      ApproximateFirstReceiveTimestamp: "1781964342000",
    },
    messageAttributes: {},
    md5OfBody: "",
    eventSource: "aws:sqs",
    eventSourceARN: "arn:aws:sqs:local:000000000000:delivery.fifo",
    awsRegion: "local",
  };
}

let store: MemoryMappingStore;
let chatwoot: StatusChatwoot;
let control: RecordingQueueControl;
let logLines: string[];
let deadLetters: RecordingQueue;

beforeEach(() => {
  store = new MemoryMappingStore();
  chatwoot = new StatusChatwoot();
  control = new RecordingQueueControl();
  logLines = [];
  deadLetters = new RecordingQueue();
});

function worker(receiver: ScriptedReceiver) {
  return deliveryWorkerRoute({
    config,
    log: createLogger({}, (line) => logLines.push(line), "debug"),
    metrics: createMetrics(() => undefined),
    clock: { now: () => Date.now() },
    store,
    chatwoot,
    queueControl: control,
    delivery: receiver,
    ledger: new MemoryDeliveryLedger(),
    queue: new RecordingQueue(),
    deadLetters,
    messageIndex: new MemoryMessageIndex(),
  });
}

describe("an outcome record", () => {
  it("is grouped per user and deduplicated per message, and its body is spec §5's", () => {
    const posted = postedRecord(OWNER, POSTED, AT);
    expect(posted.groupId).toMatch(/^user-[0-9a-f]{64}$/);
    expect(posted.deduplicationId).toMatch(/^msg_posted_[0-9a-f]{40}$/);
    const record = parseOutcomeRecord(posted.body);
    if (!record) throw new Error("not an outcome record");
    expect(JSON.parse(outcomeBody(record))).toEqual({
      type: "message.posted",
      timestamp: AT,
      data: {
        user_id: "u-1",
        thread_id: "order-5",
        conversation_id: 7,
        message_id: "m-1",
        chatwoot_message_id: 20001,
        contact_id: 3,
        source_id: "cwb-s",
        duplicate: false,
      },
    });
  });

  it("gives each acceptance's failure its own webhook-id, so a second failure is reported too", () => {
    const error = { code: "chatwoot_rejected", message: "no" };
    const first = failedRecord(OWNER, error, "2026-06-20T14:00:00.000Z", AT);
    const second = failedRecord(OWNER, error, "2026-06-20T15:00:00.000Z", AT);
    expect(first.deduplicationId).not.toBe(second.deduplicationId);
    expect(parseOutcomeRecord('{"type":"message.created"}')).toBeUndefined();
  });
});

describe("the delivery worker with an outcome record", () => {
  it("delivers it signed under its webhook-id, with no Chatwoot call, and never twice", async () => {
    const receiver = new ScriptedReceiver([]);
    const body = postedRecord(OWNER, POSTED, AT).body;
    expect(await worker(receiver)({ Records: [sqsRecord(body, 1)] })).toEqual({ batchItemFailures: [] });
    expect(await worker(receiver)({ Records: [sqsRecord(body, 1)] })).toEqual({ batchItemFailures: [] });
    expect(receiver.attempts.length).toBe(1);
    expect(receiver.attempts[0]?.webhookId).toMatch(/^msg_posted_/);
    expect(chatwoot.statuses.size).toBe(0);
    expect(logLines.join("\n")).not.toContain("u-1");
  });

  it("retries a failed attempt on DELIVERY_RETRY_SCHEDULE and lets the last one go to the dead letters", async () => {
    const failed = { kind: "failed", status: 500, reason: "receiver answered 500" } as const;
    const receiver = new ScriptedReceiver([failed, failed, failed]);
    const body = failedRecord(OWNER, { code: "chatwoot_rejected", message: "no" }, AT, AT).body;
    for (const attempt of [1, 2, 3, 4]) await worker(receiver)({ Records: [sqsRecord(body, attempt)] });
    expect(control.visibility).toEqual([
      ["handle-1", 5],
      ["handle-2", 30],
    ]);
    expect(receiver.attempts.length).toBe(3);
    // Sent on by the worker itself (a receive past the last attempt means the last one crashed: sent again,
    // under the same deduplication id, which SQS drops within its window).
    const letter = { ...JSON.parse(body), reason: "receiver answered 500" };
    const interrupted = { ...letter, reason: "the last attempt was interrupted before the receiver answered" };
    expect(
      deadLetters.sent.map((sent) => [JSON.parse(sent.body), sent.deduplicationId, sent.groupId.startsWith("user-")]),
    ).toEqual([
      [letter, JSON.parse(body).webhookId, true],
      [interrupted, JSON.parse(body).webhookId, true],
    ]);
    const events = logLines.map((line) => (JSON.parse(line) as { event: string }).event);
    expect(events).toEqual([
      "delivery.attempt_failed",
      "delivery.attempt_failed",
      "delivery.dead_lettered",
      "delivery.dead_lettered",
    ]);
  });
});
