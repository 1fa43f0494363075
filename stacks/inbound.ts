// The inbound worker: consumes the inbound queue one message at a time with partial batch failures, and sets a
// failed message's visibility to its backoff itself (functions/routes/inbound-worker.ts).
import { functionArgs } from "./function-args.js";
import { inboundWorkerGrants } from "./permissions.js";
import { MESSAGES_MEMORY_MB } from "./function-settings.js";
import { INBOUND_BATCH_SIZE, inboundTiming } from "./inbound-timing.js";
import { inboundQueue } from "./inbound-storage.js";
import { inboundWorkerLinkNames } from "./links.js";
import { inboundWorker } from "./routes.js";

export const inboundWorkerFunction = new sst.aws.Function(
  inboundWorker.name,
  functionArgs({
    handler: inboundWorker.handler,
    description: "Posts messages accepted with Prefer: respond-async to Chatwoot",
    // It downloads and uploads attachments as POST /messages does.
    memoryMb: MESSAGES_MEMORY_MB,
    timeoutSeconds: inboundTiming.workerTimeoutSeconds,
    links: inboundWorkerLinkNames(inboundWorker),
    grants: inboundWorkerGrants(),
  }),
);

inboundQueue.subscribe(inboundWorkerFunction.arn, {
  batch: { size: INBOUND_BATCH_SIZE, partialResponses: true },
});
