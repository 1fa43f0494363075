// Lambda entry of the delivery queue's consumer (spec §5): deps built once per cold start, the route from routes/.
import { workerDeps } from "../compose/worker-deps.js";
import { lambdaEntry } from "../compose/lambda-entry.js";
import { deliveryWorkerRoute } from "../routes/delivery-worker.js";

export const handler = lambdaEntry(workerDeps, deliveryWorkerRoute);
