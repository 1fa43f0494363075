// Starts the whole bridge on one machine: embedded store, in-process queue, the local HTTP server and, where
// CHATWOOT_BASE_URL / DELIVERY_URL are unset, the Chatwoot sandbox and the delivery receiver (spec §6).
import { randomBytes, randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { HttpHandler } from "@smithy/core/protocols";
import { createDocumentClient } from "../functions/adapters/dynamo-requests.js";
import { parseWebhookSecret, type Config, type ConfigSource } from "../functions/config.js";
import { deliveryTiming, WORKER_BATCH_SIZE } from "../stacks/delivery-timing.js";
import { LocalQueue } from "./local-queue/queue.js";
import { buildDeps } from "../functions/compose/bridge-deps.js";
import { loadBridgeConfig } from "../functions/compose/config-source.js";
import type { DepsOverrides } from "../functions/compose/deps.js";
import { log as rootLog, type Logger, withLogFields } from "../functions/log.js";
import { sweepDeps } from "../functions/compose/sweep-deps.js";
import { deliveryWorkerRoute } from "../functions/routes/delivery-worker.js";
import { inboundWorkerRoute } from "../functions/routes/inbound-worker.js";
import { INBOUND_BATCH_SIZE, inboundTiming } from "../stacks/inbound-timing.js";
import { sweepRoute } from "../functions/routes/sweep.js";
import { probeChatwoot, type ChatwootProbe } from "./chatwoot-probe.js";
import { localPages } from "./console/pages.js";
import { ensureTable, startEmbeddedStore } from "./embedded-store.js";
import { startStoreThread } from "./store-thread.js";
import { startReceiver, type Receiver } from "./receiver.js";
import { startSandbox, type Sandbox } from "./sandbox/server.js";
import { type LocalSweep, startLocalSweep, sweepControl } from "./local-sweep.js";
import { startServer, type LocalPages } from "./server.js";
import type { TransportLimits } from "./server-transport.js";

export interface LocalBridge {
  url: string;
  config: Config;
  /** The first of BRIDGE_API_KEY's keys: the one the start banner and the tests use. */
  apiKey: string;
  generatedApiKey: boolean;
  sandbox: Sandbox | undefined;
  receiver: Receiver | undefined;
  /** The built-in receiver's DELIVERY_SECRET (whsec_…), shown at start so a signature check can be tried. */
  receiverSecret: string | undefined;
  /** What the start-up call to Chatwoot found; undefined for the built-in sandbox. */
  chatwootProbe: ChatwootProbe | undefined;
  queue: LocalQueue;
  /** Messages accepted with `Prefer: respond-async`, waiting for the inbound worker. */
  inboundQueue: LocalQueue;
  /** The catch-up sweep, run every SWEEP_INTERVAL; runOnce() is what POST /_local/sweep does. */
  sweep: LocalSweep;
  close(): Promise<void>;
}

export interface LocalOptions {
  /** Sandbox settings (tests inject latency, limits…). */
  sandbox?: Parameters<typeof startSandbox>[0];
  sandboxPort?: number;
  receiverPort?: number;
  /** Where log lines go (tests capture them to prove nothing secret is logged). */
  log?: Logger;
  /** Where the receiver's human-readable lines go (stdout by default). */
  print?: (line: string) => void;
  /** Ports to use instead of the ones built from the config (the benchmark's measuring wraps). */
  overrides?: (config: Config, local: LocalPorts) => DepsOverrides;
  /** The local server's timeouts and header limit (tests shorten them). */
  transport?: Partial<TransportLimits>;
  /** Seconds between an accepted message's attempts (tests: 0, so an outage of a few calls passes without waiting). */
  inboundRetryDelaySeconds?: (attempt: number) => number;
  /**
   * The embedded store in a worker thread of its own (dev/store-thread.ts), as `npm start` runs it; otherwise on the
   * bridge's thread (most tests: a thread per test bridge costs a start of its own).
   */
  storeThread?: boolean;
}

/** What the local runtime hands the overrides: the embedded store's in-process handler, when it runs here. */
export interface LocalPorts {
  storeHandler: HttpHandler | undefined;
}

export async function startLocalBridge(env: ConfigSource, options: LocalOptions = {}): Promise<LocalBridge> {
  const closers: Array<() => Promise<void>> = [];
  const source: ConfigSource = { ...env };
  const host = source.HOST ?? "127.0.0.1";
  const dataDir = source.DATA_DIR ?? ".data";
  const tableName = source.BRIDGE_TABLE_NAME ?? "chatwoot-bridge";
  let storeHandler: HttpHandler | undefined;
  try {
    if (source.DYNAMODB_ENDPOINT) {
      await ensureTable(new URL(source.DYNAMODB_ENDPOINT), tableName);
    } else {
      // dynalite has no authentication: it listens on loopback whatever HOST says.
      const storeOptions = { dataDir, tableName, host: "127.0.0.1" };
      const store = await (options.storeThread ? startStoreThread(storeOptions) : startEmbeddedStore(storeOptions));
      closers.push(store.close);
      source.DYNAMODB_ENDPOINT = store.endpoint.href;
      // The bridge's own client skips loopback HTTP; the endpoint stays for other clients (a CLI, a second bridge).
      storeHandler = store.requestHandler;
    }
    const generatedApiKey = !source.BRIDGE_API_KEY;
    if (generatedApiKey) source.BRIDGE_API_KEY = randomBytes(24).toString("base64url");

    let receiver: Receiver | undefined;
    if (!source.DELIVERY_URL) {
      source.DELIVERY_SECRET = receiverSecret(join(dataDir, "receiver-secret.txt"));
      const secret = parseWebhookSecret(source.DELIVERY_SECRET);
      if (!secret) throw new Error("generated DELIVERY_SECRET did not parse");
      receiver = await startReceiver({
        host,
        port: options.receiverPort ?? 0,
        secret,
        feedFile: join(dataDir, "receiver-deliveries.json"),
        ...(options.print ? { log: options.print } : {}),
      });
      closers.push(receiver.close);
      source.DELIVERY_URL = receiver.url;
    }

    let sandbox: Sandbox | undefined;
    if (!source.CHATWOOT_BASE_URL) {
      // Its data lives beside the mappings: a restart keeps the contacts and conversations they point at.
      sandbox = await startSandbox({
        host,
        port: options.sandboxPort ?? 0,
        dataFile: join(dataDir, "sandbox.json"),
        ...options.sandbox,
      });
      closers.push(sandbox.close);
      Object.assign(source, {
        CHATWOOT_BASE_URL: sandbox.url,
        CHATWOOT_ACCOUNT_ID: String(sandbox.accountId),
        CHATWOOT_INBOX_ID: String(sandbox.inboxId),
        CHATWOOT_API_TOKEN: sandbox.apiToken,
        CHATWOOT_WEBHOOK_SECRET: sandbox.webhookSecret ?? "",
      });
    }

    const log = options.log ?? rootLog;
    const config = loadBridgeConfig(source, log);
    const chatwootProbe = sandbox ? undefined : await probeChatwoot(config);
    // The stack's own numbers: a receive past the last attempt lets the worker mark a crashed reply failed.
    const timing = deliveryTiming(config.deliveryRetryScheduleMs, config.chatwootTimeoutMs);
    const queue = new LocalQueue({
      visibilityTimeoutSeconds: timing.visibilityTimeoutSeconds,
      maxReceiveCount: timing.maxReceiveCount,
      retentionSeconds: timing.retentionSeconds,
      batchSize: WORKER_BATCH_SIZE,
      persistPath: join(dataDir, "delivery-queue.json"),
      log,
    });
    closers.push(async () => queue.close());
    const inboundQueue = new LocalQueue({
      queueName: "inbound.fifo",
      visibilityTimeoutSeconds: inboundTiming.visibilityTimeoutSeconds,
      maxReceiveCount: inboundTiming.maxReceiveCount,
      retentionSeconds: inboundTiming.retentionSeconds,
      batchSize: INBOUND_BATCH_SIZE,
      persistPath: join(dataDir, "inbound-queue.json"),
      log,
    });
    closers.push(async () => inboundQueue.close());
    const overrides = options.overrides?.(config, { storeHandler }) ?? {};
    // Every table adapter of the bridge reaches the embedded store in-process, as one client.
    const tableClient =
      overrides.tableClient ?? (storeHandler && createDocumentClient(config.dynamodbEndpoint, storeHandler));
    const client = tableClient ? { tableClient } : {};
    const deps = buildDeps(config, {
      ...overrides,
      ...client,
      log,
      queue,
      queueControl: queue,
      deadLetters: queue.deadLetterQueue(),
      inboundQueue,
      inboundQueueControl: inboundQueue,
    });
    const worker = deliveryWorkerRoute(deps);
    // Each queue delivery is an invocation: its log lines carry a request id of their own, as in Lambda.
    queue.setConsumer((event) => withLogFields({ aws_request_id: randomUUID() }, () => worker(event)));
    const retryDelaySeconds = options.inboundRetryDelaySeconds;
    const inbound = inboundWorkerRoute({ ...deps, ...(retryDelaySeconds ? { retryDelaySeconds } : {}) });
    inboundQueue.setConsumer((event) => withLogFields({ aws_request_id: randomUUID() }, () => inbound(event)));
    const sweep = startLocalSweep(sweepRoute(sweepDeps(config, { ...deps, ...client })), config.sweepIntervalMs);
    closers.push(async () => sweep.close());

    const server = await startServer({
      host,
      port: config.port,
      deps,
      pages: eitherPage(sweepControl(sweep), localPages({ sandbox, receiver })),
      ...(options.transport ? { transport: options.transport } : {}),
    });
    closers.push(server.close);
    // The sandbox started first (the config needs its URL and token); now the bridge can take its webhooks.
    sandbox?.setWebhookUrl(`${server.url}/webhooks/chatwoot`);
    return {
      url: server.url,
      config,
      apiKey: firstKey(config),
      generatedApiKey,
      sandbox,
      receiver,
      receiverSecret: receiver ? source.DELIVERY_SECRET : undefined,
      chatwootProbe,
      queue,
      inboundQueue,
      sweep,
      close: async () => {
        // Every part is closed even when one fails (the store last, so its directory lock is always released).
        let failure: unknown;
        for (const close of closers.reverse()) await close().catch((error: unknown) => (failure ??= error));
        if (failure !== undefined) throw failure;
      },
    };
  } catch (error) {
    for (const close of closers.reverse()) await close().catch(() => undefined);
    throw error;
  }
}

function firstKey(config: Config): string {
  const [key] = config.bridgeApiKeys;
  if (key === undefined) throw new Error("BRIDGE_API_KEY has no key");
  return key;
}

/** The built-in receiver's secret: kept under DATA_DIR, so a verification snippet keeps working after a restart. */
function receiverSecret(file: string): string {
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  const secret = `whsec_${randomBytes(32).toString("base64")}`;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

/** The first of the local pages that takes the request. */
function eitherPage(...pages: LocalPages[]): LocalPages {
  return (req, res, body) => pages.some((page) => page(req, res, body));
}
