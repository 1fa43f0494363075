// In-process route tests: fake deps, API Gateway events built by hand, and the route's log lines captured.
import { unbounded } from "../../functions/core/deadline.js";
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from "aws-lambda";
import { localContext } from "../../dev/lambda-context.js";
import type { BridgeDeps } from "../../functions/compose/deps.js";
import { loadConfig } from "../../functions/config.js";
import type { EventQueue, QueuedEvent } from "../../functions/core/ports.js";
import { createLogger } from "../../functions/log.js";
import { createMetrics } from "../../functions/metrics.js";
import { PartialChatwoot } from "./partial-chatwoot.js";
import { MemoryDeliveryLedger } from "./memory-delivery-ledger.js";
import { MemoryMappingStore } from "./memory-mapping-store.js";
import { MemoryMessageIndex } from "./memory-message-index.js";

export const API_KEY = "test-api-key-0123456789";
export const WEBHOOK_SECRET = "test-webhook-secret";

export class RecordingQueue implements EventQueue {
  readonly sent: QueuedEvent[] = [];
  async enqueue(event: QueuedEvent): Promise<void> {
    this.sent.push(event);
  }
}

export interface FakeBridge {
  deps: BridgeDeps;
  store: MemoryMappingStore;
  queue: RecordingQueue;
  logLines: Array<Record<string, unknown>>;
  /** The EMF lines the routes wrote, parsed. */
  metricLines: Array<Record<string, unknown>>;
}

export function fakeBridge(overrides: Partial<BridgeDeps> = {}): FakeBridge {
  const logLines: Array<Record<string, unknown>> = [];
  const metricLines: Array<Record<string, unknown>> = [];
  const store = new MemoryMappingStore();
  const queue = new RecordingQueue();
  const unused = async (): Promise<never> => {
    throw new Error("not used by these routes");
  };
  const deps: BridgeDeps = {
    config: loadConfig({
      // Chatwoot's example webhooks (shared/chatwoot/webhooks) name account 3 and inbox 12: they are ours here.
      CHATWOOT_ACCOUNT_ID: "3",
      CHATWOOT_INBOX_ID: "12",
      CHATWOOT_API_TOKEN: "token",
      CHATWOOT_WEBHOOK_SECRET: WEBHOOK_SECRET,
      BRIDGE_API_KEY: API_KEY,
    }),
    log: createLogger({}, (line) => logLines.push(JSON.parse(line)), "debug"),
    metrics: createMetrics((line) => metricLines.push(JSON.parse(line))),
    clock: { now: () => Date.now() },
    newId: () => "id-1",
    deadline: unbounded,
    store,
    messageIndex: new MemoryMessageIndex(),
    chatwoot: new PartialChatwoot("route tests"),
    attachments: { fetch: unused },
    queue,
    queueControl: { setVisibility: unused },
    delivery: { send: unused },
    ledger: new MemoryDeliveryLedger(),
    deadLetters: new RecordingQueue(),
    inboundQueue: queue,
    inboundQueueControl: { setVisibility: unused },
    ...overrides,
  };
  return { deps, store, queue, logLines, metricLines };
}

export interface RequestInit {
  headers?: Record<string, string>;
  body?: string | Buffer;
  pathParameters?: Record<string, string>;
}

/** The event an HTTP API sends: lower-case headers, a text body or base64 for bytes. */
export function httpEvent(routeKey: string, init: RequestInit = {}): APIGatewayProxyEventV2 {
  const [method = "GET", path = "/"] = routeKey.split(" ");
  const binary = Buffer.isBuffer(init.body);
  return {
    version: "2.0",
    routeKey,
    rawPath: path,
    rawQueryString: "",
    headers: init.headers ?? {},
    ...(init.pathParameters ? { pathParameters: init.pathParameters } : {}),
    requestContext: {
      accountId: "test",
      apiId: "test",
      domainName: "127.0.0.1",
      domainPrefix: "test",
      http: { method, path, protocol: "HTTP/1.1", sourceIp: "127.0.0.1", userAgent: "test" },
      requestId: "req-1",
      routeKey,
      stage: "$default",
      time: "",
      timeEpoch: 0,
    },
    body: init.body === undefined ? undefined : binary ? init.body.toString("base64") : String(init.body),
    isBase64Encoded: binary,
  };
}

export interface Answer {
  status: number | undefined;
  body: unknown;
}

export async function call(
  handler: (
    event: APIGatewayProxyEventV2,
    context: ReturnType<typeof localContext>,
  ) => Promise<APIGatewayProxyResultV2>,
  event: APIGatewayProxyEventV2,
): Promise<Answer> {
  const result = await handler(event, localContext("Test", event.requestContext.requestId));
  if (typeof result === "string") return { status: 200, body: JSON.parse(result) };
  return { status: result.statusCode, body: result.body === undefined ? undefined : JSON.parse(result.body) };
}
