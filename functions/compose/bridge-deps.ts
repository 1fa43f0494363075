// buildDeps(): every port of one bridge from its config, for runtimes that serve all routes in one process
// (the local runtime, the tests, the benchmark). Overrides replace what a test or the local runtime supplies.
import type { Config } from "../config.js";
import type { BridgeDeps, DepsOverrides } from "./deps.js";
import { inboundDeps } from "./inbound-deps.js";
import { attachmentDownloader, inboundQueueDeps } from "./inbound-queue-deps.js";
import { webhookDeps } from "./webhook-deps.js";
import { tableClient } from "./store-deps.js";
import { workerDeps } from "./worker-deps.js";

export function buildDeps(config: Config, overrides: DepsOverrides = {}): BridgeDeps {
  // Built once and shared, so the inbound routes and the worker use one table client, store and Chatwoot client.
  const client = { tableClient: tableClient(config, overrides) };
  const stored = inboundDeps(config, { ...overrides, ...client });
  const inbound = { ...stored, attachments: attachmentDownloader(config, overrides, stored.deadline) };
  const shared: DepsOverrides = { ...overrides, ...client, ...inbound };
  const { queue } = webhookDeps(config, shared);
  const { queueControl, delivery, ledger, deadLetters } = workerDeps(config, { ...shared, queue });
  return { ...inbound, queue, queueControl, delivery, ledger, deadLetters, ...inboundQueueDeps(config, shared) };
}
