// Deps of the catch-up sweep: Chatwoot (the listing), the mapping table (owners and claims), its resume position,
// and the delivery queue (the signals). Nothing else: no sender, no attachments.
import type { Config } from "../config.js";
import { ChatwootClient } from "../adapters/chatwoot-client.js";
import { DynamoSweepStore } from "../adapters/dynamo-sweep-store.js";
import { SqsEventQueue } from "../adapters/sqs-queue.js";
import type { SweepStore } from "../core/sweep-port.js";
import type { SweepRouteDeps } from "../routes/sweep.js";
import type { DepsOverrides } from "./deps.js";
import { storeDeps, tableClient } from "./store-deps.js";
import { queueUrl } from "./webhook-deps.js";

export function sweepDeps(config: Config, overrides: DepsOverrides & { sweepStore?: SweepStore } = {}): SweepRouteDeps {
  const client = tableClient(config, overrides);
  const base = storeDeps(config, { ...overrides, tableClient: client });
  return {
    ...base,
    chatwoot: overrides.chatwoot ?? new ChatwootClient(config, { metrics: base.metrics, deadline: base.deadline }),
    sweepStore: overrides.sweepStore ?? new DynamoSweepStore({ tableName: config.tableName, client }),
    queue: overrides.queue ?? new SqsEventQueue({ queueUrl: queueUrl(config) }),
  };
}
