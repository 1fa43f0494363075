// Builds the deps of what uses the inbound queue (spec §3.3 `Prefer: respond-async`): POST /messages queues there,
// the inbound worker consumes it and reports outcomes through the delivery queue.
import type { Config } from "../config.js";
import { SqsEventQueue } from "../adapters/sqs-queue.js";
import type { EventQueue, QueueControl } from "../core/ports.js";
import type { MessagesRouteDeps } from "../routes/messages-post.js";
import type { InboundWorkerDeps } from "../routes/inbound-worker.js";
import type { DepsOverrides } from "./deps.js";
import { inboundDeps } from "./inbound-deps.js";
import { queueUrl } from "./webhook-deps.js";

/** The inbound queue, as a producer and as its consumer's control (one SQS client serves both). */
export function inboundQueueDeps(
  config: Config,
  overrides: DepsOverrides = {},
): { inboundQueue: EventQueue; inboundQueueControl: QueueControl } {
  const { inboundQueue, inboundQueueControl } = overrides;
  if (inboundQueue && inboundQueueControl) return { inboundQueue, inboundQueueControl };
  const sqs = inboundSqs(config);
  return { inboundQueue: inboundQueue ?? sqs, inboundQueueControl: inboundQueueControl ?? sqs };
}

export function messagesDeps(config: Config, overrides: DepsOverrides = {}): MessagesRouteDeps {
  return { ...inboundDeps(config, overrides), inboundQueue: inboundQueueDeps(config, overrides).inboundQueue };
}

export function inboundWorkerDeps(config: Config, overrides: DepsOverrides = {}): InboundWorkerDeps {
  const inbound = inboundDeps(config, overrides);
  return {
    ...inbound,
    queue: overrides.queue ?? new SqsEventQueue({ queueUrl: queueUrl(config) }),
    inboundQueueControl: inboundQueueDeps(config, overrides).inboundQueueControl,
  };
}

/** In AWS a function linked to InboundQueue always has its URL (config.ts requires it). */
function inboundSqs(config: Config): SqsEventQueue {
  if (!config.inboundQueueUrl)
    throw new Error("No inbound queue: BRIDGE_INBOUND_QUEUE_URL is unset and no queue was given");
  return new SqsEventQueue({ queueUrl: config.inboundQueueUrl });
}
