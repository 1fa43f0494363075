// lambdaEntry(): a Lambda's handler export. At the first invocation (the cold start) it loads the config, builds
// the deps its route needs with the given builder and the route from them; every later invocation reuses both.
import type { Context } from "aws-lambda";
import type { Config } from "../config.js";
import { log, withLogFields } from "../log.js";
import { lambdaConfigSource, loadBridgeConfig } from "./config-source.js";
import type { DepsOverrides } from "./deps.js";
import { LambdaDeadline } from "./lambda-deadline.js";

export type LambdaHandler<E, R> = (event: E, context: Context) => Promise<R>;

export function lambdaEntry<D, E, R>(
  build: (config: Config, overrides: DepsOverrides) => D,
  route: (deps: D) => LambdaHandler<E, R>,
): LambdaHandler<E, R> {
  // The per-cold-start cache: the one piece of mutable state in functions/ outside a request (architecture test).
  let built: Promise<LambdaHandler<E, R>> | undefined;
  // Every adapter's waits end before this invocation does (issue 12: bounded time).
  const deadline = new LambdaDeadline();
  const start = async () => route(build(loadBridgeConfig(await lambdaConfigSource(), log), { deadline }));
  // The container's first invocation is its cold start (module load, config, clients); later ones reuse them.
  let invoked = false;
  return (event, context) => {
    const coldStart = !invoked;
    invoked = true;
    deadline.begin(context);
    return withLogFields({ aws_request_id: context.awsRequestId, cold_start: coldStart }, async () => {
      built ??= start().catch((error: unknown) => {
        // A failed start (a bad config) is tried again by the next invocation rather than remembered.
        built = undefined;
        throw error;
      });
      return (await built)(event, context);
    });
  };
}
