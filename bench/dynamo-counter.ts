// The bridge's own DynamoDB adapter on a client that counts and times every request it sends (each attempt,
// after the SDK's retry step), so the benchmark reports DynamoDB requests and time per message without
// touching functions/.
import type { HttpHandler } from "@smithy/core/protocols";
import type { Config } from "../functions/config.js";
import { DynamoMappingStore } from "../functions/adapters/dynamo-mapping-store.js";
import { createDocumentClient } from "../functions/adapters/dynamo-requests.js";

export interface CountedStore {
  store: DynamoMappingStore;
  /** Requests sent since the last reset, by operation (GetItem, PutItem, UpdateItem…). */
  counts(): Record<string, number>;
  total(): number;
  /** Wall time requests were outstanding (signing, HTTP, the store's answer, parsing), summed. */
  totalMs(): number;
  reset(): void;
}

/** `handler`: the embedded store's in-process handler when the store runs in the bridge's process (npm start). */
export function countedStore(config: Config, handler?: HttpHandler): CountedStore {
  if (!config.dynamodbEndpoint) throw new Error("The benchmark needs the local store's endpoint");
  const client = createDocumentClient(config.dynamodbEndpoint, handler);
  let counts = new Map<string, number>();
  let totalMs = 0;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const operation =
        typeof context.commandName === "string" ? context.commandName.replace(/Command$/, "") : "unknown";
      counts.set(operation, (counts.get(operation) ?? 0) + 1);
      const started = performance.now();
      try {
        return await next(args);
      } finally {
        totalMs += performance.now() - started;
      }
    },
    // finalizeRequest, low priority: inside the retry middleware, so a retried request counts twice.
    { step: "finalizeRequest", priority: "low", name: "benchRequestCounter" },
  );
  return {
    store: new DynamoMappingStore({ tableName: config.tableName, client }),
    counts: () => Object.fromEntries(counts),
    total: () => [...counts.values()].reduce((sum, count) => sum + count, 0),
    totalMs: () => totalMs,
    reset: () => {
      counts = new Map();
      totalMs = 0;
    },
  };
}
