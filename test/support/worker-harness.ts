// The delivery worker's route on fakes, driven record by record as SQS would: a memory store and ledger, a
// Chatwoot that lists messages and keeps statuses, a scripted receiver, and the queues the worker writes to.
import type { SQSEvent, SQSRecord } from "aws-lambda";
import { loadConfig } from "../../functions/config.js";
import type { QueueControl } from "../../functions/core/ports.js";
import { createLogger } from "../../functions/log.js";
import { createMetrics } from "../../functions/metrics.js";
import { deliveryWorkerRoute, type WorkerDeps } from "../../functions/routes/delivery-worker.js";
import { ListingChatwoot, type ScriptedReceiver } from "./delivery-fakes.js";
import { metricEvents } from "./emf.js";
import { MemoryDeliveryLedger } from "./memory-delivery-ledger.js";
import { MemoryMessageIndex } from "./memory-message-index.js";
import { MemoryMappingStore } from "./memory-mapping-store.js";
import { RecordingQueue } from "./route-harness.js";

/** Remembers every ChangeMessageVisibility, as SQS would apply it. */
export class RecordingQueueControl implements QueueControl {
  readonly visibility: Array<[receiptHandle: string, seconds: number]> = [];
  async setVisibility(receiptHandle: string, seconds: number): Promise<void> {
    this.visibility.push([receiptHandle, seconds]);
  }
}

export const workerConfig = loadConfig({
  CHATWOOT_ACCOUNT_ID: "3",
  CHATWOOT_INBOX_ID: "12",
  CHATWOOT_API_TOKEN: "token-value",
  CHATWOOT_WEBHOOK_SECRET: "webhook-secret",
  BRIDGE_API_KEY: "a-bridge-api-key-of-length",
  DELIVERY_RETRY_SCHEDULE: "5s,30s,2m", // 4 attempts
});

export function sqsRecord(id: string, body: unknown, receiveCount = 1): SQSRecord {
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

export const batch = (...records: SQSRecord[]): SQSEvent => ({ Records: records });

export interface WorkerHarness {
  store: MemoryMappingStore;
  ledger: MemoryDeliveryLedger;
  chatwoot: ListingChatwoot;
  queueControl: RecordingQueueControl;
  queue: RecordingQueue;
  deadLetters: RecordingQueue;
  logLines: string[];
  metricLines: string[];
  worker(receiver: ScriptedReceiver): ReturnType<typeof deliveryWorkerRoute>;
  events(): string[];
  /** The Deliveries metric's outcomes, one per decision. */
  outcomes(): Array<[unknown, unknown]>;
}

/** User u-1's default thread is mapped to conversation 9, open. */
export async function workerHarness(): Promise<WorkerHarness> {
  const store = new MemoryMappingStore();
  await store.acquireUserLease("u-1", "t", Date.now() + 60_000, Date.now());
  await store.saveMapping(
    { userId: "u-1", contactId: 1, sourceId: "s", conversationId: 9, conversationStatus: "open" },
    "t",
  );
  const h = {
    store,
    ledger: new MemoryDeliveryLedger(),
    chatwoot: new ListingChatwoot(),
    queueControl: new RecordingQueueControl(),
    queue: new RecordingQueue(),
    deadLetters: new RecordingQueue(),
    logLines: [] as string[],
    metricLines: [] as string[],
  };
  return {
    ...h,
    worker(receiver) {
      const deps: WorkerDeps = {
        config: workerConfig,
        log: createLogger({}, (line) => h.logLines.push(line), "debug"),
        metrics: createMetrics((line) => h.metricLines.push(line)),
        clock: { now: () => Date.now() },
        store: h.store,
        chatwoot: h.chatwoot,
        queueControl: h.queueControl,
        delivery: receiver,
        ledger: h.ledger,
        queue: h.queue,
        deadLetters: h.deadLetters,
        messageIndex: new MemoryMessageIndex(),
      };
      return deliveryWorkerRoute(deps);
    },
    events: () => h.logLines.map((line) => (JSON.parse(line) as { event: string }).event),
    outcomes: () => metricEvents(h.metricLines).map((event) => [event.Outcome, event.Deliveries]),
  };
}
