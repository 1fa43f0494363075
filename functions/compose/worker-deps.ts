// Deps of the delivery worker: the store and its ledger, Chatwoot (messages and status marks), the signed sender,
// the delivery queue (visibility, marks records) and the dead-letter queue.
import type { Config } from "../config.js";
import { SqsEventQueue } from "../adapters/sqs-queue.js";
import { ChatwootClient } from "../adapters/chatwoot-client.js";
import { DynamoDeliveryLedger } from "../adapters/dynamo-delivery-state.js";
import { WebhookSender } from "../adapters/webhook-sender.js";
import type { WorkerDeps } from "../routes/delivery-worker.js";
import type { DepsOverrides } from "./deps.js";
import { storeDeps, tableClient } from "./store-deps.js";
import { queueUrl } from "./webhook-deps.js";

export function workerDeps(config: Config, overrides: DepsOverrides = {}): WorkerDeps {
  const client = tableClient(config, overrides);
  const { log, metrics, clock, store, messageIndex, deadline } = storeDeps(config, {
    ...overrides,
    tableClient: client,
  });
  const sqs = overrides.queue && overrides.queueControl ? undefined : new SqsEventQueue({ queueUrl: queueUrl(config) });
  return {
    config,
    log,
    metrics,
    clock,
    store,
    messageIndex,
    chatwoot: overrides.chatwoot ?? new ChatwootClient(config, { metrics, deadline }),
    queueControl: overrides.queueControl ?? sqsOf(sqs),
    queue: overrides.queue ?? sqsOf(sqs),
    delivery: overrides.delivery ?? new WebhookSender(config),
    ledger: overrides.ledger ?? new DynamoDeliveryLedger({ tableName: config.tableName, client }),
    deadLetters: overrides.deadLetters ?? new SqsEventQueue({ queueUrl: deadLetterQueueUrl(config) }),
  };
}

function sqsOf(queue: SqsEventQueue | undefined): SqsEventQueue {
  if (!queue) throw new Error("No delivery queue was built");
  return queue;
}

/** In AWS the worker is linked to the dead-letter queue (config.ts requires its URL); locally the queue is given. */
function deadLetterQueueUrl(config: Config): string {
  if (!config.deadLetterQueueUrl) {
    throw new Error("No dead-letter queue: BRIDGE_DEAD_LETTER_QUEUE_URL is unset and no queue was given");
  }
  return config.deadLetterQueueUrl;
}
