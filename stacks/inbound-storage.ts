// The FIFO inbound queue of messages accepted with `Prefer: respond-async` (spec §3.3) and its FIFO dead-letter
// queue: 1 MiB messages (a message with its 256 KiB body fits), one message group per user.
import { seconds } from "./function-settings.js";
import { inboundTiming } from "./inbound-timing.js";
import { queueTransform } from "./queue-limits.js";

export const inboundDeadLetterQueue = new sst.aws.Queue("InboundDeadLetterQueue", {
  fifo: true,
  transform: { queue: queueTransform(inboundTiming.retentionSeconds) },
});

// Deduplication ids name (user, message_id); content-based deduplication backs them as on the delivery queue.
export const inboundQueue = new sst.aws.Queue("InboundQueue", {
  fifo: { contentBasedDeduplication: true },
  visibilityTimeout: seconds(inboundTiming.visibilityTimeoutSeconds),
  dlq: { queue: inboundDeadLetterQueue.arn, retry: inboundTiming.maxReceiveCount },
  transform: { queue: queueTransform(inboundTiming.retentionSeconds) },
});
