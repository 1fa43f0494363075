// The arguments every bridge function shares: runtime, architecture, bundling, the deploy settings as
// environment, and only the links its manifest entry needs.
import { ARCHITECTURE, NODEJS_BUNDLING, RUNTIME, mb, seconds, type SizeAndTime } from "./function-settings.js";
import type { LinkName } from "./links.js";
import { settings } from "./settings.js";
import { secrets } from "./secrets.js";
import { inboundQueue } from "./inbound-storage.js";
import { deadLetterQueue, deliveryQueue, table } from "./storage.js";

const linkable: Record<LinkName, sst.aws.Dynamo | sst.aws.Queue | sst.Secret> = {
  MappingTable: table,
  DeliveryQueue: deliveryQueue,
  DeliveryDeadLetterQueue: deadLetterQueue,
  InboundQueue: inboundQueue,
  ...secrets,
};

export interface BridgeFunction extends SizeAndTime {
  /** Manifest path without extension; the file exports `handler`. */
  handler: string;
  description: string;
  links: LinkName[];
  reservedConcurrency?: number;
}

export function functionArgs(fn: BridgeFunction): sst.aws.FunctionArgs {
  return {
    handler: `${fn.handler}.handler`,
    description: fn.description,
    runtime: RUNTIME,
    architecture: ARCHITECTURE,
    memory: mb(fn.memoryMb),
    timeout: seconds(fn.timeoutSeconds),
    nodejs: NODEJS_BUNDLING,
    // BRIDGE_LINKS tells functions/config.ts which secrets this function was given, so it requires exactly those.
    environment: { ...settings.environment, BRIDGE_LINKS: fn.links.join(",") || "none" },
    link: fn.links.map((name) => linkable[name]),
    // DEPLOY_LOG_RETENTION (default 1 month): every function's log group, set at deploy.
    logging: { retention: settings.logRetention },
    // SST's role also trusts the account root (for `sst dev`, which this project does not use): Lambda only.
    transform: {
      role: (args) => {
        args.assumeRolePolicy = aws.iam.assumeRolePolicyForPrincipal({ Service: "lambda.amazonaws.com" });
      },
    },
    ...(fn.reservedConcurrency !== undefined && settings.reservedConcurrency
      ? { concurrency: { reserved: fn.reservedConcurrency } }
      : {}),
  };
}
