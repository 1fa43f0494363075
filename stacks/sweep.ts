// The catch-up sweep's schedule (spec §7): every SWEEP_INTERVAL, one run of functions/handlers/sweep.ts. Runs never
// overlap: the function's timeout is under the shortest interval (1m), and it has a concurrency of one.
import { SWEEP_WORK_MS } from "../functions/core/sweep-pacing.js";
import { functionArgs } from "./function-args.js";
import { sweepGrants } from "./permissions.js";
import { WORKER_MEMORY_MB } from "./function-settings.js";
import { scheduleLinkNames } from "./links.js";
import { sweep } from "./routes.js";
import { settings } from "./settings.js";
import { sweepRate } from "./sweep-rate.js";

/** The listing (unpaginated, CONTRACT-addendum §A.7) and the last write after the work budget. */
const SWEEP_OVERHEAD_SECONDS = 15;

export const sweepFunction = new sst.aws.Function(sweep.name, {
  ...functionArgs({
    handler: sweep.handler,
    description: "Catch-up sweep: signals conversations whose webhooks were lost",
    memoryMb: WORKER_MEMORY_MB,
    timeoutSeconds: SWEEP_WORK_MS / 1000 + SWEEP_OVERHEAD_SECONDS,
    links: scheduleLinkNames(sweep),
    grants: sweepGrants(),
    reservedConcurrency: 1,
  }),
  // The next scheduled run is the retry: Lambda's own async retries would only add calls while Chatwoot pushes back.
  retries: 0,
});

export const sweepSchedule = new sst.aws.Cron("SweepSchedule", {
  schedule: sweepRate(settings.sweepIntervalMs),
  function: sweepFunction.arn,
});
