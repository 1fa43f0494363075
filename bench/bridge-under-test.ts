// Starts the whole local bridge with startLocalBridge (embedded store, in-process queue, local server, sandbox,
// receiver) in a temp DATA_DIR, in one of two layouts, with the two measuring wraps: Chatwoot calls tagged per
// request, DynamoDB requests counted. Log lines go to a file: written, not shown.
//   "npm start": as a user runs it. The store in the bridge's process (its in-process handler), the sandbox's
//     webhooks on and its data file written, the logs written.
//   "aws-like": the store in its own worker thread over loopback HTTP (DynamoDB's work is not on a Lambda's CPU),
//     no sandbox data file and no webhooks for inbound messages (Chatwoot's own work is not on the bridge's CPU).
import { createWriteStream, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startLocalBridge, type LocalBridge } from "../dev/local-runtime.js";
import type { Receiver } from "../dev/receiver.js";
import type { Sandbox } from "../dev/sandbox/server.js";
import { createLogger } from "../functions/log.js";
import { RequestTags, taggedChatwoot } from "./chatwoot-tags.js";
import { countedStore, type CountedStore } from "./dynamo-counter.js";
import { startStoreThread } from "../dev/store-thread.js";

/** Far above any benchmark rate: the sandbox imitates rack-attack's 3000/min, which real Chatwoot waives for loopback. */
const SANDBOX_REQUESTS_PER_MINUTE = 10_000_000;

export type Layout = "npm start" | "aws-like";

export interface BridgeUnderTest {
  layout: Layout;
  bridge: LocalBridge;
  sandbox: Sandbox;
  receiver: Receiver;
  tags: RequestTags;
  dynamo: CountedStore;
  /** Resets the sandbox's counters and timings and the DynamoDB count. */
  resetCounters(): void;
  /** Waits until Chatwoot's webhooks have been sent and the queue is empty, so a scenario starts on a quiet bridge. */
  settle(): Promise<void>;
  /** Where the sandbox sends webhooks in this layout (null: none). */
  webhookUrl: string | null;
  close(): Promise<void>;
}

export async function startBridgeUnderTest(options: { latencyMs: number; layout: Layout }): Promise<BridgeUnderTest> {
  const dataDir = mkdtempSync(join(tmpdir(), "cwb-bench-"));
  const awsLike = options.layout === "aws-like";
  // AWS-like: the store in a thread of its own, reached over its loopback endpoint (HTTP, as DynamoDB is).
  const store = awsLike ? await startStoreThread({ dataDir, tableName: "chatwoot-bridge" }) : undefined;
  const logFile = createWriteStream(join(dataDir, "bridge.log"));
  const sink = (line: string) => void logFile.write(`${line}\n`);
  const tags = new RequestTags();
  const measured: { dynamo?: CountedStore } = {};
  const bridge = await startLocalBridge(
    { PORT: "0", DATA_DIR: dataDir, ...(store ? { DYNAMODB_ENDPOINT: store.endpoint.href } : {}) },
    {
      // AWS-like: no sandbox data file, as Chatwoot's own persistence does not run on the bridge's CPU.
      sandbox: {
        latencyMs: options.latencyMs,
        requestLimitPerMinute: SANDBOX_REQUESTS_PER_MINUTE,
        ...(awsLike ? { dataFile: undefined } : {}),
      },
      log: createLogger({}, sink, "info"),
      print: sink,
      // As npm start runs it (dev/start.ts); the aws-like layout has its own store thread over HTTP.
      storeThread: !awsLike,
      // The bridge's own adapters, wrapped to measure: Chatwoot calls tagged per request, DynamoDB requests counted.
      overrides: (config, local) => {
        measured.dynamo = countedStore(config, local.storeHandler);
        return { chatwoot: taggedChatwoot(config, tags), tableClient: measured.dynamo.client };
      },
    },
  );
  const { sandbox, receiver } = bridge;
  const { dynamo } = measured;
  if (!sandbox || !receiver || !dynamo)
    throw new Error("The benchmark needs the built-in sandbox and receiver: unset CHATWOOT_BASE_URL and DELIVERY_URL");
  // AWS-like: Chatwoot's webhooks for inbound messages would load the bridge's process, not Chatwoot's; the reply
  // path is measured on its own (scenarios/webhooks.ts). Under npm start they arrive, as a user sees them.
  if (awsLike) sandbox.setWebhookUrl(null);
  return {
    layout: options.layout,
    bridge,
    sandbox,
    receiver,
    tags,
    dynamo,
    webhookUrl: awsLike ? null : `${bridge.url}/webhooks/chatwoot`,
    settle: async () => {
      await sandbox.webhooksIdle();
      await bridge.queue.drained();
    },
    resetCounters: () => {
      sandbox.resetCalls();
      sandbox.clearWebhookLog();
      dynamo.reset();
    },
    close: async () => {
      await bridge.close();
      await store?.close();
      await new Promise<void>((resolve) => logFile.end(resolve));
      if (!process.env.KEEP_BENCH_DIR) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
