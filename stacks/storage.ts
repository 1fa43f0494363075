// The mapping table (its shape is stacks/table.ts), the FIFO delivery queue and its FIFO dead-letter queue.
// Visibility timeout and redrive count come from stacks/delivery-timing.ts.
import { deliveryTiming } from "./delivery-timing.js";
import { queueTransform } from "./queue-limits.js";
import { seconds } from "./function-settings.js";
import { settings } from "./settings.js";
import { mappingTable } from "./table.js";

export const timing = deliveryTiming(settings.retryScheduleMs, settings.chatwootTimeoutMs);

export const table = new sst.aws.Dynamo("MappingTable", {
  fields: mappingTable.attributes,
  primaryIndex: { hashKey: mappingTable.hashKey },
  ttl: mappingTable.ttl,
  // Protected stages keep their table even against a console click or a replacing change.
  deletionProtection: $app.protect,
});

// A FIFO queue's dead-letter queue must be FIFO too; it keeps what failed for the longest time SQS allows.
export const deadLetterQueue = new sst.aws.Queue("DeliveryDeadLetterQueue", {
  fifo: true,
  transform: { queue: queueTransform(timing.retentionSeconds) },
});

// One message group per conversation keeps replies in order. Content-based deduplication backs the
// producer's explicit deduplication ids (functions/adapters/sqs-queue.ts sends none when it has none).
export const deliveryQueue = new sst.aws.Queue("DeliveryQueue", {
  fifo: { contentBasedDeduplication: true },
  visibilityTimeout: seconds(timing.visibilityTimeoutSeconds),
  dlq: { queue: deadLetterQueue.arn, retry: timing.maxReceiveCount },
  transform: { queue: queueTransform(timing.retentionSeconds) },
});
