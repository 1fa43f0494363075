// The CloudWatch dashboard of spec §7: our metrics (functions/metrics.ts), the queues, and every function's errors,
// throttles and duration. Its layout is stacks/dashboard-widgets.ts.
import { routeFunctions } from "./api.js";
import { dashboardBody } from "./dashboard-widgets.js";
import { worker } from "./delivery.js";
import { deadLetterQueue, deliveryQueue } from "./storage.js";
import { sweepFunction } from "./sweep.js";
import { inboundWorkerFunction } from "./inbound.js";

export const dashboard = new aws.cloudwatch.Dashboard("Dashboard", {
  dashboardName: $interpolate`${$app.name}-${$app.stage}`,
  dashboardBody: $resolve({
    region: aws.getRegionOutput().name,
    deliveryQueue: deliveryQueue.nodes.queue.name,
    deadLetterQueue: deadLetterQueue.nodes.queue.name,
    functions: $resolve([...routeFunctions, worker, inboundWorkerFunction, sweepFunction].map((fn) => fn.name)),
  }).apply((names) => JSON.stringify(dashboardBody(names))),
});
