// The table client every table adapter of the bridge shares (mapping store, message index, delivery ledger, sweep
// store), counting and timing every request it sends (each attempt, after the SDK's retry step), so the benchmark
// reports all DynamoDB requests and their time per message without touching functions/.
import type { HttpHandler } from "@smithy/core/protocols";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { Config } from "../functions/config.js";
import { createDocumentClient } from "../functions/adapters/dynamo-requests.js";

export interface CountedStore {
  /** Passed to the bridge as its `tableClient`: every table adapter sends through it. */
  client: DynamoDBDocumentClient;
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
    client,
    counts: () => Object.fromEntries(counts),
    total: () => [...counts.values()].reduce((sum, count) => sum + count, 0),
    totalMs: () => totalMs,
    reset: () => {
      counts = new Map();
      totalMs = 0;
    },
  };
}
