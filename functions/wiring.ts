// Builds the adapters from the config once per cold start. Only this file knows which runtime it is in.
import { randomUUID } from "node:crypto";
import { loadConfig, unknownVariables, type Config, type ConfigSource } from "./config.js";
import { log as rootLog, type Logger } from "./log.js";
import type {
  AttachmentFetcher,
  ChatwootApi,
  Clock,
  DeliverySender,
  EventQueue,
  MappingStore,
  QueueControl,
} from "./core/ports.js";
import { AttachmentDownloader } from "./adapters/attachment-fetcher.js";
import { ChatwootClient } from "./adapters/chatwoot-client.js";
import { DynamoMappingStore } from "./adapters/dynamo-mapping-store.js";
import { SqsEventQueue } from "./adapters/sqs-queue.js";
import { WebhookSender } from "./adapters/webhook-sender.js";

export interface Deps {
  config: Config;
  log: Logger;
  clock: Clock;
  store: MappingStore;
  chatwoot: ChatwootApi;
  attachments: AttachmentFetcher;
  queue: EventQueue;
  queueControl: QueueControl;
  delivery: DeliverySender;
  newId: () => string;
}

let provided: Partial<Deps> = {};
let cached: Promise<Deps> | undefined;

/** The local runtime (dev/) hands in what has no AWS counterpart here: the in-process queue, the receiver's URL… */
export function provideDeps(partial: Partial<Deps>): void {
  provided = { ...provided, ...partial };
  cached = undefined;
}

export function getDeps(): Promise<Deps> {
  cached ??= buildDeps().catch((error: unknown) => {
    cached = undefined;
    throw error;
  });
  return cached;
}

async function buildDeps(): Promise<Deps> {
  const source = process.env.BRIDGE_RUNTIME === "aws" ? { ...process.env, ...(await linkedResources()) } : process.env;
  const config = provided.config ?? loadConfig(source);
  const log = provided.log ?? rootLog;
  for (const name of unknownVariables(source)) log.warn("config.unknown_variable", { name });
  const clock = provided.clock ?? { now: () => Date.now() };
  return {
    config,
    log,
    clock,
    newId: provided.newId ?? randomUUID,
    store: provided.store ?? new DynamoMappingStore({ tableName: config.tableName, endpoint: config.dynamodbEndpoint }),
    chatwoot: provided.chatwoot ?? new ChatwootClient(config),
    attachments: provided.attachments ?? new AttachmentDownloader({ allowHosts: config.attachmentAllowHosts }),
    ...queues(config),
    delivery: provided.delivery ?? new WebhookSender(config),
  };
}

function queues(config: Config): Pick<Deps, "queue" | "queueControl"> {
  if (provided.queue && provided.queueControl) return { queue: provided.queue, queueControl: provided.queueControl };
  if (config.queueUrl) {
    const sqs = new SqsEventQueue({ queueUrl: config.queueUrl });
    return { queue: sqs, queueControl: sqs };
  }
  // A function without the DeliveryQueue link (every inbound route) never touches the queue.
  const unlinked = async (): Promise<never> => {
    throw new Error("This function has no delivery queue: it is not linked to DeliveryQueue");
  };
  return { queue: { enqueue: unlinked }, queueControl: { setVisibility: unlinked } };
}

/** In AWS, secrets and resource names come from SST links; read once here, never in the request path. */
async function linkedResources(): Promise<ConfigSource> {
  const { Resource } = await import("sst");
  // Resource throws on a name that is not linked to this function: such a name simply stays unset.
  const field = (name: string, key: "value" | "name" | "url"): string | undefined => {
    try {
      const resource: unknown = Reflect.get(Resource, name);
      const value: unknown = resource && typeof resource === "object" ? Reflect.get(resource, key) : undefined;
      return typeof value === "string" ? value : undefined;
    } catch {
      return undefined;
    }
  };
  return {
    CHATWOOT_API_TOKEN: field("ChatwootApiToken", "value"),
    CHATWOOT_WEBHOOK_SECRET: field("ChatwootWebhookSecret", "value"),
    BRIDGE_API_KEY: field("BridgeApiKey", "value"),
    DELIVERY_SECRET: field("DeliverySecret", "value"),
    BRIDGE_TABLE_NAME: field("MappingTable", "name"),
    BRIDGE_QUEUE_URL: field("DeliveryQueue", "url"),
  };
}

/** For tests of the local runtime: forget the built deps so the next getDeps() rebuilds. */
export function resetDeps(): void {
  provided = {};
  cached = undefined;
}
