// Starts the whole local bridge as `npm start` does (embedded store, in-process queue, local server, sandbox,
// receiver) in a temp DATA_DIR, with the two measuring wraps: Chatwoot calls tagged per request, DynamoDB
// requests counted. Log lines go to a file, as Lambda's go to CloudWatch: written, not shown.
import { createWriteStream, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startLocalBridge, type LocalBridge } from "../dev/local-runtime.js";
import type { Receiver } from "../dev/receiver.js";
import type { Sandbox } from "../dev/sandbox/server.js";
import { createLogger } from "../functions/log.js";
import { RequestTags, TaggedChatwoot } from "./chatwoot-tags.js";
import { countedStore, type CountedStore } from "./dynamo-counter.js";
import { startStoreThread } from "./store-thread.js";

/** Far above any benchmark rate: the sandbox imitates rack-attack's 3000/min, which real Chatwoot waives for loopback. */
const SANDBOX_REQUESTS_PER_MINUTE = 10_000_000;

export interface BridgeUnderTest {
  /** Where the embedded store runs: its own thread (as DynamoDB runs off the Lambda's CPU), or the bridge's. */
  store: "own thread" | "bridge thread";
  bridge: LocalBridge;
  sandbox: Sandbox;
  receiver: Receiver;
  tags: RequestTags;
  dynamo: CountedStore;
  /** Resets the sandbox's counters and timings and the DynamoDB count. */
  resetCounters(): void;
  close(): Promise<void>;
}

export async function startBridgeUnderTest(options: {
  latencyMs: number;
  storeThread?: boolean;
}): Promise<BridgeUnderTest> {
  const dataDir = mkdtempSync(join(tmpdir(), "cwb-bench-"));
  const store = options.storeThread ? await startStoreThread(dataDir, "chatwoot-bridge") : undefined;
  const logFile = createWriteStream(join(dataDir, "bridge.log"));
  const sink = (line: string) => void logFile.write(`${line}\n`);
  const tags = new RequestTags();
  const measured: { dynamo?: CountedStore } = {};
  const bridge = await startLocalBridge(
    { PORT: "0", DATA_DIR: dataDir, ...(store ? { DYNAMODB_ENDPOINT: store.endpoint.href } : {}) },
    {
      // No sandbox data file: Chatwoot's own persistence (a debounced rewrite of the sandbox's whole state) would
      // run on the bridge's event loop and grow with every message, and be charged to the bridge.
      sandbox: {
        latencyMs: options.latencyMs,
        requestLimitPerMinute: SANDBOX_REQUESTS_PER_MINUTE,
        dataFile: undefined,
      },
      log: createLogger({}, sink, "info"),
      print: sink,
      // The bridge's own adapters, wrapped to measure: Chatwoot calls tagged per request, DynamoDB requests counted.
      overrides: (config) => {
        measured.dynamo = countedStore(config);
        return { chatwoot: new TaggedChatwoot(config, tags), store: measured.dynamo.store };
      },
    },
  );
  const { sandbox, receiver } = bridge;
  const { dynamo } = measured;
  if (!sandbox || !receiver || !dynamo)
    throw new Error("The benchmark needs the built-in sandbox and receiver: unset CHATWOOT_BASE_URL and DELIVERY_URL");
  // Inbound scenarios only post: Chatwoot's webhooks for those messages would load the same process and are
  // measured on their own (scenarios/webhooks.ts), so the inbox has no webhook URL until then.
  sandbox.setWebhookUrl(null);
  return {
    store: store ? "own thread" : "bridge thread",
    bridge,
    sandbox,
    receiver,
    tags,
    dynamo,
    resetCounters: () => {
      sandbox.resetCalls();
      sandbox.clearWebhookLog();
      dynamo.reset();
    },
    close: async () => {
      await bridge.close();
      await store?.close();
      await new Promise<void>((resolve) => logFile.end(resolve));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
