// unconfiguredEntry(): the Lambda entry of a route that reads no configuration (GET /health, a liveness check). Its
// only dep is the log, so its bundle holds no configuration parser, no SST Resource and no adapter: it stays a few
// KB and imports in a few ms at a cold start (docs/performance.md).
import type { BaseDeps } from "./deps.js";
import { log, withLogFields } from "../log.js";
import type { LambdaHandler } from "./lambda-entry.js";

export type UnconfiguredDeps = Pick<BaseDeps, "log">;

export function unconfiguredEntry<E, R>(route: (deps: UnconfiguredDeps) => LambdaHandler<E, R>): LambdaHandler<E, R> {
  const handler = route({ log });
  // Its log lines carry the request id and the cold-start flag, as lambdaEntry's do.
  let invoked = false;
  return (event, context) => {
    const coldStart = !invoked;
    invoked = true;
    return withLogFields({ aws_request_id: context.awsRequestId, cold_start: coldStart }, () =>
      handler(event, context),
    );
  };
}
