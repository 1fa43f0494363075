// The delivery worker: consumes the FIFO queue in small batches with partial batch failures, and sets each
// failed message's visibility to its retry delay itself (functions/handlers/delivery-worker.ts).
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
    // Receive, delete and read attributes (the event source uses the function's role) and ChangeMessageVisibility.
    grants: workerGrants(deliveryWorker),
  }),
);

deliveryQueue.subscribe(worker.arn, {
  batch: { size: WORKER_BATCH_SIZE, partialResponses: true },
  transform: { eventSourceMapping: { scalingConfig: { maximumConcurrency: WORKER_MAX_CONCURRENCY } } },
});
