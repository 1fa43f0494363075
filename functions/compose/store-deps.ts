// Builds the deps of the routes that only read the mapping table (GET /contacts/{user_id}), and the table client
// every table adapter of a function shares.
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { Config } from "../config.js";
import { DynamoMappingStore } from "../adapters/dynamo-mapping-store.js";
import { DynamoMessageIndex } from "../adapters/dynamo-message-index.js";
import { createDocumentClient } from "../adapters/dynamo-requests.js";
import { baseDeps, type DepsOverrides, type StoreDeps } from "./deps.js";

export function storeDeps(config: Config, overrides: DepsOverrides = {}): StoreDeps {
  const table = { tableName: config.tableName, client: tableClient(config, overrides) };
  return {
    ...baseDeps(config, overrides),
    store: overrides.store ?? new DynamoMappingStore(table),
    messageIndex: overrides.messageIndex ?? new DynamoMessageIndex(table),
  };
}

/** The given client, or one for the configured endpoint; a builder that needs more table adapters passes it on. */
export function tableClient(config: Config, overrides: DepsOverrides): DynamoDBDocumentClient {
  return overrides.tableClient ?? createDocumentClient(config.dynamodbEndpoint);
}
