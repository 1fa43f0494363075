// Builds the deps of what posts messages and uses the inbound queue (spec §3.3 `Prefer: respond-async`): POST
// /messages queues there, the inbound worker consumes it and reports outcomes through the delivery queue. Only these
// two download attachments, so only their bundles hold the downloader (and ipaddr.js).
import type { Config } from "../config.js";
import { AttachmentDownloader } from "../adapters/attachment-fetcher.js";
import { SqsEventQueue } from "../adapters/sqs-queue.js";
import type { Deadline } from "../core/deadline.js";
import type { AttachmentFetcher, EventQueue, QueueControl } from "../core/ports.js";
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
  const inbound = inboundDeps(config, overrides);
  return {
    ...inbound,
    attachments: attachmentDownloader(config, overrides, inbound.deadline),
    inboundQueue: inboundQueueDeps(config, overrides).inboundQueue,
  };
}

export function inboundWorkerDeps(config: Config, overrides: DepsOverrides = {}): InboundWorkerDeps {
  const inbound = inboundDeps(config, overrides);
  return {
    ...inbound,
    attachments: attachmentDownloader(config, overrides, inbound.deadline),
    queue: overrides.queue ?? new SqsEventQueue({ queueUrl: queueUrl(config) }),
    inboundQueueControl: inboundQueueDeps(config, overrides).inboundQueueControl,
  };
}

/** The given downloader, or one limited to BRIDGE_ATTACHMENT_ALLOW_HOSTS and bounded by the invocation. */
export function attachmentDownloader(config: Config, overrides: DepsOverrides, deadline: Deadline): AttachmentFetcher {
  return overrides.attachments ?? new AttachmentDownloader({ allowHosts: config.attachmentAllowHosts, deadline });
}

/** In AWS a function linked to InboundQueue always has its URL (config.ts requires it). */
function inboundSqs(config: Config): SqsEventQueue {
  if (!config.inboundQueueUrl)
    throw new Error("No inbound queue: BRIDGE_INBOUND_QUEUE_URL is unset and no queue was given");
  return new SqsEventQueue({ queueUrl: config.inboundQueueUrl });
}
