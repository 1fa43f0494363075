// The embedded store (dynalite, dev/embedded-store.ts) in a worker thread of its own. In AWS, DynamoDB's work is
// not done on the Lambda's CPU; here it would otherwise share the bridge's event loop, so the benchmark would
// charge dynalite's parsing and LevelDB calls to the bridge. Its latency still counts as bridge-added.
import { Worker } from "node:worker_threads";

export interface StoreThread {
  endpoint: URL;
  close(): Promise<void>;
}

const BODY = `
const { parentPort, workerData } = require("node:worker_threads");
import(workerData.tsx).then(({ register }) => { register(); return import(workerData.entry); }).then(async ({ startEmbeddedStore }) => {
  const store = await startEmbeddedStore({ dataDir: workerData.dataDir, tableName: workerData.tableName });
  parentPort.once("message", () => store.close().then(() => parentPort.postMessage("closed")));
  parentPort.postMessage(store.endpoint.href);
}).catch((error) => { throw error; });
`;

export async function startStoreThread(dataDir: string, tableName: string): Promise<StoreThread> {
  const workerData = {
    tsx: import.meta.resolve("tsx/esm/api"),
    entry: new URL("../dev/embedded-store.ts", import.meta.url).href,
    dataDir,
    tableName,
  };
  const worker = new Worker(BODY, { eval: true, workerData });
  const first = await new Promise<unknown>((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
  });
  if (typeof first !== "string") throw new Error("the store thread did not report its endpoint");
  return {
    endpoint: new URL(first),
    close: async () => {
      const closed = new Promise((resolve) => worker.once("message", resolve));
      worker.postMessage("close");
      await closed;
      await worker.terminate();
    },
  };
}
