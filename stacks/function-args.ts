// The arguments every bridge function shares: runtime, architecture, bundling, the deploy settings as
// environment, its secrets as links, and IAM for exactly its grants (stacks/permissions.ts).
import { ARCHITECTURE, NODEJS_BUNDLING, RUNTIME, mb, seconds, type SizeAndTime } from "./function-settings.js";
import type { LinkName } from "./links.js";
import type { Grant, GrantedResource } from "./permissions.js";
import { settings } from "./settings.js";
import { secrets } from "./secrets.js";
import { inboundQueue } from "./inbound-storage.js";
import { deadLetterQueue, deliveryQueue, table } from "./storage.js";

/**
 * The table and the queue reach a function as plain environment (their names are no secret) rather than as SST
 * links, whose grants are `dynamodb:*` / `sqs:*`; config.ts reads these variables.
 */
const granted: Record<GrantedResource, { arn: $util.Output<string>; variable: string; value: $util.Output<string> }> = {
  MappingTable: { arn: table.arn, variable: "BRIDGE_TABLE_NAME", value: table.name },
  DeliveryQueue: { arn: deliveryQueue.arn, variable: "BRIDGE_QUEUE_URL", value: deliveryQueue.url },
  DeliveryDeadLetterQueue: {
    arn: deadLetterQueue.arn,
    variable: "BRIDGE_DEAD_LETTER_QUEUE_URL",
    value: deadLetterQueue.url,
  },
  InboundQueue: { arn: inboundQueue.arn, variable: "BRIDGE_INBOUND_QUEUE_URL", value: inboundQueue.url },
};

export interface BridgeFunction extends SizeAndTime {
  /** Manifest path without extension; the file exports `handler`. */
  handler: string;
  description: string;
  /** Everything the function is given: its secrets (linked) and its table or queue (environment). */
  links: LinkName[];
  /** The only IAM the function gets. */
  grants: Grant[];
  /** Reserved instances, for a function that must never run twice at once (the sweep). */
  reservedConcurrency?: number;
}

function isSecret(name: LinkName): name is keyof typeof secrets {
  return name in secrets;
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
    environment: {
      ...settings.environment,
      ...Object.fromEntries(resourcesOf(fn).map((name) => [granted[name].variable, granted[name].value])),
      BRIDGE_LINKS: fn.links.join(",") || "none",
    },
    link: fn.links.filter(isSecret).map((name) => secrets[name]),
    ...(fn.reservedConcurrency !== undefined ? { concurrency: { reserved: fn.reservedConcurrency } } : {}),
    permissions: fn.grants.map((grant) => ({ actions: grant.actions, resources: [granted[grant.resource].arn] })),
    // DEPLOY_LOG_RETENTION (default 1 month): every function's log group, set at deploy.
    logging: { retention: settings.logRetention },
    // SST's role also trusts the account root (for `sst dev`, which this project does not use): Lambda only.
    transform: {
      role: (args) => {
        args.assumeRolePolicy = aws.iam.assumeRolePolicyForPrincipal({ Service: "lambda.amazonaws.com" });
      },
    },
  };
}

function resourcesOf(fn: BridgeFunction): GrantedResource[] {
  return fn.links.filter((name): name is GrantedResource => name in granted);
}
