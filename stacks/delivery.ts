// The delivery worker: consumes the FIFO queue one record at a time with partial batch failures, sets each
// record's visibility to its retry delay itself, and sends what it gives up on to the dead-letter queue itself
// (functions/routes/delivery-worker.ts, docs/delivery.md); the queue's redrive is only a safety net.
import { WORKER_MAX_CONCURRENCY } from "./concurrency.js";
import { WORKER_BATCH_SIZE } from "./delivery-timing.js";
import { functionArgs } from "./function-args.js";
import { WORKER_MEMORY_MB } from "./function-settings.js";
import { workerLinkNames } from "./links.js";
import { workerGrants } from "./permissions.js";
import { deliveryWorker } from "./routes.js";
import { deliveryQueue, timing } from "./storage.js";

export const worker = new sst.aws.Function(
  deliveryWorker.name,
  functionArgs({
    handler: deliveryWorker.handler,
    description: "Delivers agent replies from the delivery queue",
    memoryMb: WORKER_MEMORY_MB,
    timeoutSeconds: timing.workerTimeoutSeconds,
    links: workerLinkNames(deliveryWorker),
    // Its queue: receive, delete, read attributes (the event source uses the function's role), ChangeMessageVisibility
    // and SendMessage (status-mark retries); the dead-letter queue: SendMessage of what it gave up on.
    grants: workerGrants(deliveryWorker),
  }),
);

deliveryQueue.subscribe(worker.arn, {
  batch: { size: WORKER_BATCH_SIZE, partialResponses: true },
  transform: { eventSourceMapping: { scalingConfig: { maximumConcurrency: WORKER_MAX_CONCURRENCY } } },
});
