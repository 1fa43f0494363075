// Builds the deps of POST /webhooks/chatwoot: it verifies, classifies and enqueues, so the queue is its only adapter.
import type { Config } from "../config.js";
import { SqsEventQueue } from "../adapters/sqs-queue.js";
import { baseDeps, type DepsOverrides, type WebhookRouteDeps } from "./deps.js";

export function webhookDeps(config: Config, overrides: DepsOverrides = {}): WebhookRouteDeps {
  return {
    ...baseDeps(config, overrides),
    queue: overrides.queue ?? new SqsEventQueue({ queueUrl: queueUrl(config) }),
  };
}

/** In AWS a function linked to DeliveryQueue always has its URL (config.ts requires it); locally the queue is given. */
export function queueUrl(config: Config): string {
  if (!config.queueUrl) throw new Error("No delivery queue: BRIDGE_QUEUE_URL is unset and no queue was given");
  return config.queueUrl;
}
