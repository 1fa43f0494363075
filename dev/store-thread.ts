// The embedded store in a worker thread of its own, as `npm start` runs it: dynalite's work (request validation, a
// parse of every expression, LevelDB) uses the machine's second core while the bridge's event loop serves requests,
// webhooks and deliveries. The bridge's client still skips loopback HTTP: each signed request crosses a MessagePort
// and is answered in the thread by dev/in-process-store.ts's handler. The store also listens on its loopback
// endpoint, as in-process, for any other client (a CLI, a second bridge).
import { Worker } from "node:worker_threads";
import type { HttpHandler } from "@smithy/core/protocols";
import type { HttpRequest, HttpResponse } from "@smithy/types";
import type { EmbeddedStore, EmbeddedStoreOptions } from "./embedded-store.js";
import type { StoreAnswer, StoreAsk, StoreReady } from "./store-thread-messages.js";

/** Plain JavaScript: it registers tsx in the thread, then loads the TypeScript worker. */
const BOOTSTRAP = `
const { workerData } = require("node:worker_threads");
import(workerData.tsx).then(({ register }) => { register(); return import(workerData.entry); });
`;

export async function startStoreThread(options: EmbeddedStoreOptions): Promise<EmbeddedStore> {
  const worker = new Worker(BOOTSTRAP, {
    eval: true,
    workerData: {
      ...options,
      tsx: import.meta.resolve("tsx/esm/api"),
      entry: new URL("./store-thread-worker.ts", import.meta.url).href,
    },
  });
  const ready = await started(worker);
  const pending = new Map<number, { resolve: (answer: StoreAnswer) => void; reject: (error: Error) => void }>();
  let nextId = 0;
  let stopped: Error | undefined;
  const failAll = (error: Error) => {
    stopped = error;
    for (const waiter of pending.values()) waiter.reject(error);
    pending.clear();
  };
  worker.on("message", (message: StoreAnswer | "closed") => {
    if (message === "closed" || typeof message !== "object") return;
    const waiter = pending.get(message.id);
    pending.delete(message.id);
    waiter?.resolve(message);
  });
  worker.on("error", (error) => failAll(error));
  worker.on("exit", () => failAll(new Error("The store thread has stopped")));

  const ask = (request: HttpRequest): Promise<StoreAnswer> => {
    if (stopped) return Promise.reject(stopped);
    const id = ++nextId;
    const message: StoreAsk = {
      id,
      request: {
        method: request.method,
        path: request.path,
        headers: request.headers,
        ...(request.query ? { query: request.query } : {}),
        ...(request.body !== undefined ? { body: request.body } : {}),
      },
    };
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      try {
        worker.postMessage(message);
      } catch (error) {
        pending.delete(id);
        reject(error);
      }
    });
  };
  const requestHandler: HttpHandler = {
    handle: async (request: HttpRequest) => {
      const answer = await ask(request);
      if (answer.error !== undefined || answer.statusCode === undefined) {
        throw new Error(`The store thread could not answer: ${answer.error ?? "no status"}`);
      }
      const response: HttpResponse = {
        statusCode: answer.statusCode,
        headers: answer.headers ?? {},
        body: answer.body ?? new Uint8Array(),
      };
      return { response };
    },
    updateHttpClientConfig: () => undefined,
    httpHandlerConfigs: () => ({}),
  };
  return {
    endpoint: new URL(ready.endpoint),
    table: ready.table,
    requestHandler,
    close: () => closeThread(worker, () => stopped !== undefined),
  };
}

/** The thread's first message: the store is listening and its table exists. */
function started(worker: Worker): Promise<StoreReady> {
  return new Promise<StoreReady>((resolve, reject) => {
    const stop = () => {
      worker.off("message", onReady);
      worker.off("error", onError);
      worker.off("exit", onExit);
    };
    const onReady = (ready: StoreReady) => {
      stop();
      resolve(ready);
    };
    const onError = (error: Error) => {
      stop();
      reject(error);
    };
    const onExit = (code: number) => onError(new Error(`The store thread stopped before it started (exit ${code})`));
    worker.on("message", onReady);
    worker.on("error", onError);
    worker.on("exit", onExit);
  });
}

/** How long the store may take to write what is pending and close LevelDB before the thread is stopped anyway. */
const CLOSE_TIMEOUT_MS = 10_000;

/** Closes the store in the thread (its pending writes, then LevelDB and the directory lock), then the thread. */
async function closeThread(worker: Worker, exited: () => boolean): Promise<void> {
  // A thread that has died already has nothing to close (and would never answer).
  if (exited()) return;
  let timer: NodeJS.Timeout | undefined;
  const closed = new Promise<void>((resolve, reject) => {
    worker.on("message", (message: unknown) => {
      if (message === "closed") resolve();
      else if (typeof message === "object" && message !== null && "closeError" in message)
        reject(new Error(`The store thread could not close the store: ${String(message.closeError)}`));
    });
    worker.once("exit", () => resolve());
    timer = setTimeout(() => reject(new Error("The store thread did not close within 10 s")), CLOSE_TIMEOUT_MS);
  });
  worker.postMessage("close");
  try {
    await closed;
  } finally {
    clearTimeout(timer);
    await worker.terminate();
  }
}
