// The embedded store's thread (dev/store-thread.ts): starts dynalite on the data directory and answers the bridge's
// signed requests arriving over the port with dev/in-process-store.ts's handler; "close" closes the store.
import { parentPort, workerData } from "node:worker_threads";
import { HttpRequest } from "@smithy/core/protocols";
import { startEmbeddedStore, type EmbeddedStoreOptions } from "./embedded-store.js";
import type { StoreAnswer, StoreAsk, StoreReady } from "./store-thread-messages.js";

const port = parentPort;
if (!port) throw new Error("store-thread-worker.ts runs in a worker thread");
const options: EmbeddedStoreOptions = workerData;

const store = await startEmbeddedStore(options);
port.on("message", (message: StoreAsk | "close") => {
  if (message === "close") {
    void store.close().then(
      () => port.postMessage("closed"),
      (error: unknown) => port.postMessage({ closeError: String(error) }),
    );
    return;
  }
  void answer(message).then((reply) => port.postMessage(reply, reply.body ? [reply.body.buffer] : []));
});
const ready: StoreReady = { endpoint: store.endpoint.href, table: store.table };
port.postMessage(ready);

async function answer(ask: StoreAsk): Promise<StoreAnswer> {
  try {
    // The handler reads only the method, path, query, headers and body the SDK built and signed.
    const { response } = await store.requestHandler.handle(new HttpRequest(ask.request));
    const body = response.body instanceof Uint8Array ? new Uint8Array(response.body) : undefined;
    return { id: ask.id, statusCode: response.statusCode, headers: response.headers, ...(body ? { body } : {}) };
  } catch (error) {
    return { id: ask.id, error: error instanceof Error ? error.message : String(error) };
  }
}
