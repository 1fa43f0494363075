// Where a Lambda's configuration comes from: process.env, plus in AWS the values SST links to the function;
// config.ts parses it.
// The only importer of `sst` in functions/: Resource throws on an unlinked name, so it is read once at start.
import { loadConfig, unknownVariables, type Config, type ConfigSource } from "../config.js";
import type { Logger } from "../log.js";

/** Loads the config and names (never shows) every unknown CHATWOOT_/DELIVERY_/BRIDGE_ variable. */
export function loadBridgeConfig(source: ConfigSource, log: Logger): Config {
  const config = loadConfig(source);
  for (const name of unknownVariables(source)) log.warn("config.unknown_variable", { name });
  return config;
}

export async function lambdaConfigSource(env: ConfigSource = process.env): Promise<ConfigSource> {
  return env.BRIDGE_RUNTIME === "aws" ? { ...env, ...(await linkedResources()) } : env;
}

async function linkedResources(): Promise<ConfigSource> {
  const { Resource } = await import("sst/resource");
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
  const linked: ConfigSource = {
    CHATWOOT_API_TOKEN: field("ChatwootApiToken", "value"),
    CHATWOOT_WEBHOOK_SECRET: field("ChatwootWebhookSecret", "value"),
    BRIDGE_API_KEY: field("BridgeApiKey", "value"),
    DELIVERY_SECRET: field("DeliverySecret", "value"),
    BRIDGE_TABLE_NAME: field("MappingTable", "name"),
    BRIDGE_QUEUE_URL: field("DeliveryQueue", "url"),
    BRIDGE_DEAD_LETTER_QUEUE_URL: field("DeliveryDeadLetterQueue", "url"),
    BRIDGE_INBOUND_QUEUE_URL: field("InboundQueue", "url"),
  };
  // Only what is linked: the table and queue now come as environment (stacks/function-args.ts), which stays.
  return Object.fromEntries(Object.entries(linked).filter(([, value]) => value !== undefined));
}
