// unconfiguredEntry(): the Lambda entry of a route that reads no configuration (GET /health, a liveness check). Its
// only dep is the log, so its bundle holds no configuration parser, no SST Resource and no adapter: it stays a few
// KB and imports in a few ms at a cold start (docs/performance.md).
import type { BaseDeps } from "./deps.js";
import { log } from "../log.js";
import type { LambdaHandler } from "./lambda-entry.js";

export type UnconfiguredDeps = Pick<BaseDeps, "log">;

export function unconfiguredEntry<E, R>(route: (deps: UnconfiguredDeps) => LambdaHandler<E, R>): LambdaHandler<E, R> {
  return route({ log });
}
