// Builds the deps of the routes that only read the mapping table (GET /contacts/{user_id}).
import type { Config } from "../config.js";
import type { MappingStore } from "../core/ports.js";
import { DynamoMappingStore } from "../adapters/dynamo-mapping-store.js";
import { DynamoMessageIndex } from "../adapters/dynamo-message-index.js";
import { baseDeps, type DepsOverrides, type StoreDeps } from "./deps.js";

export function storeDeps(config: Config, overrides: DepsOverrides = {}): StoreDeps {
  return {
    ...baseDeps(config, overrides),
    store: overrides.store ?? mappingStore(config),
    messageIndex:
      overrides.messageIndex ??
      new DynamoMessageIndex({ tableName: config.tableName, endpoint: config.dynamodbEndpoint }),
  };
}

function mappingStore(config: Config): MappingStore {
  return new DynamoMappingStore({ tableName: config.tableName, endpoint: config.dynamodbEndpoint });
}
