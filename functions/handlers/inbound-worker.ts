// Lambda entry of the inbound queue's consumer (spec §3.3 respond-async): deps built once per cold start.
import { inboundWorkerDeps } from "../compose/inbound-queue-deps.js";
import { lambdaEntry } from "../compose/lambda-entry.js";
import { inboundWorkerRoute } from "../routes/inbound-worker.js";

export const handler = lambdaEntry(inboundWorkerDeps, inboundWorkerRoute);
