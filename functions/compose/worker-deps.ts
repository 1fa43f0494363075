// Deps of the delivery worker: the store, Chatwoot (status reports), the signed sender and queue control.
import type { Config } from "../config.js";
import { SqsEventQueue } from "../adapters/sqs-queue.js";
import { ChatwootClient } from "../adapters/chatwoot-client.js";
import { WebhookSender } from "../adapters/webhook-sender.js";
import type { WorkerDeps } from "../routes/delivery-worker.js";
import type { DepsOverrides } from "./deps.js";
import { storeDeps } from "./store-deps.js";
import { queueUrl } from "./webhook-deps.js";

export function workerDeps(config: Config, overrides: DepsOverrides = {}): WorkerDeps {
  const { log, metrics, clock, store, deadline } = storeDeps(config, overrides);
  return {
    config,
    log,
    metrics,
    clock,
    store,
    chatwoot: overrides.chatwoot ?? new ChatwootClient(config, { metrics, deadline }),
    queueControl: overrides.queueControl ?? new SqsEventQueue({ queueUrl: queueUrl(config) }),
    delivery: overrides.delivery ?? new WebhookSender(config),
  };
}
