// What each kind of route needs, and the part every entry hands its route: the configuration, the log, time and
// ids. The per-kind builders beside this file add only the adapters their routes use, so a bundle holds only those.
import { randomUUID } from "node:crypto";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { Config } from "../config.js";
import type {
  AttachmentFetcher,
  ChatwootApi,
  Clock,
  DeliverySender,
  EventQueue,
  MappingStore,
  QueueControl,
} from "../core/ports.js";
import type { DeliveryLedger } from "../core/delivery-state-port.js";
import type { MessageIndex } from "../core/message-index-port.js";
import { type Deadline, unbounded } from "../core/deadline.js";
import { log as rootLog, type Logger } from "../log.js";
import { createMetrics, type Metrics } from "../metrics.js";

export interface BaseDeps {
  config: Config;
  log: Logger;
  metrics: Metrics;
  clock: Clock;
  newId: () => string;
  /** The running invocation's end, which bounds every wait (a Lambda sets it per invocation; locally unbounded). */
  deadline: Deadline;
}

/** GET /contacts/{user_id} only reads the mapping table. */
export interface StoreDeps extends BaseDeps {
  store: MappingStore;
  /** Which message a Chatwoot id or source_id is (quotes, edits, deletes): on the same table. */
  messageIndex: MessageIndex;
}

/** The inbound routes that call Chatwoot (POST /contacts, /conversations, /messages, /events). */
export interface InboundRouteDeps extends StoreDeps {
  chatwoot: ChatwootApi;
}

/** POST /webhooks/chatwoot verifies, classifies and enqueues. */
export interface WebhookRouteDeps extends BaseDeps {
  queue: EventQueue;
}

/** Every port a bridge may use: what the local runtime, the tests and the benchmark build in one process. */
export interface BridgeDeps extends BaseDeps {
  store: MappingStore;
  messageIndex: MessageIndex;
  chatwoot: ChatwootApi;
  attachments: AttachmentFetcher;
  queue: EventQueue;
  queueControl: QueueControl;
  delivery: DeliverySender;
  /** The delivery worker's cursors, statuses and attempts (docs/delivery.md). */
  ledger: DeliveryLedger;
  /** Where the worker sends an event it gave up on. */
  deadLetters: EventQueue;
  /** The inbound queue: messages accepted with `Prefer: respond-async`, and its control for the inbound worker. */
  inboundQueue: EventQueue;
  inboundQueueControl: QueueControl;
}

/** What a test or the local runtime passes instead of the adapter a builder would make. */
export type DepsOverrides = Partial<Omit<BridgeDeps, "config">> & {
  /**
   * The one DynamoDB client every table adapter of a function shares (one connection pool, one credential
   * resolution); locally, the embedded store's in-process client.
   */
  tableClient?: DynamoDBDocumentClient;
};

/** GET /health needs nothing else. */
export function baseDeps(config: Config, overrides: DepsOverrides = {}): BaseDeps {
  const log = overrides.log ?? rootLog;
  const clock = overrides.clock ?? { now: () => Date.now() };
  return {
    config,
    log,
    // Through the log's sink: a test's or the local runtime's log captures the metric lines too.
    metrics: overrides.metrics ?? createMetrics(log.sink, () => clock.now()),
    clock,
    newId: overrides.newId ?? randomUUID,
    deadline: overrides.deadline ?? unbounded,
  };
}
