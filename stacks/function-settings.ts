// Runtime, memory, timeout and bundling of every function, with the reason for each number (docs/infra.md).
// Pure: no SST globals, so bench/bundle.ts and the infra tests read the same settings the stacks deploy.
import { CHATWOOT_ROUTE_TIMEOUT_SECONDS } from "../functions/time-budget.js";
import type { RouteEntry } from "./routes.js";

/** Node 22 LTS: the esbuild target below and the Node our tests and `npm start` run on (the `node` devDependency). */
export const RUNTIME = "nodejs22.x";
/** Graviton: about 20% cheaper per GB-second than x86_64, and nothing here is native code. */
export const ARCHITECTURE = "arm64";

/**
 * How SST bundles each handler (minified ESM, AWS SDK inside the bundle, no source maps): chosen from
 * bench/bundle.ts's figures in docs/infra.md.
 */
export const NODEJS_BUNDLING = {
  format: "esm",
  minify: true,
  sourcemap: false,
  esbuild: { target: "node22" },
  /**
   * Resolves @aws-sdk/credential-provider-node to an environment-only chain (functions/adapters/lambda-credentials.ts):
   * about 145 KB and 10–14 ms less per cold start. SST marks `nodejs.plugins` @internal but implements it
   * (.sst/platform/src/components/aws/function.ts; the CLI runs .sst/platform/functions/nodejs-runtime/plugin.mjs).
   */
  plugins: "stacks/esbuild-plugins.mjs",
} as const;

/** 512 MB is about a third of a vCPU: enough to parse a bundle quickly at a cold start; the work itself waits on I/O. */
const DEFAULT_MEMORY_MB = 512;
/** POST /messages may hold attachments (up to 15) while uploading them to Chatwoot. */
export const MESSAGES_MEMORY_MB = 1024;
/**
 * Routes that touch only DynamoDB and SQS. Chatwoot gives up on a webhook after 5 s, but a function still
 * running then still enqueues the event, so the webhook route gets more than 5 s, not less.
 */
const STORE_ROUTE_TIMEOUT_SECONDS = 10;

export interface SizeAndTime {
  memoryMb: number;
  timeoutSeconds: number;
}

export function routeSizeAndTime(route: Pick<RouteEntry, "name" | "uses">): SizeAndTime {
  return {
    memoryMb: route.name === "MessagesPost" ? MESSAGES_MEMORY_MB : DEFAULT_MEMORY_MB,
    timeoutSeconds: route.uses.includes("chatwoot") ? CHATWOOT_ROUTE_TIMEOUT_SECONDS : STORE_ROUTE_TIMEOUT_SECONDS,
  };
}

export const WORKER_MEMORY_MB = DEFAULT_MEMORY_MB;

/** SST's size and duration strings. */
export const mb = (value: number): `${number} MB` => `${value} MB`;
export const seconds = (value: number): `${number} seconds` => `${value} seconds`;
