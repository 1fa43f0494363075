// The load generator in a thread of its own: it plays the external system (POST /messages to the bridge) or the
// naive client (straight to Chatwoot), so its work runs on the second core, not on the bridge's event loop.
// This file is both sides: LoadClient (main thread) starts it as the worker, loaded through tsx's API since
// worker threads do not inherit tsx's loader, and runs one load at a time in it.
import { isMainThread, parentPort, Worker } from "node:worker_threads";
import { runLanes, type Job, type LoadResult, type LoadSpec } from "./load.js";
import { postNaively } from "./naive-client.js";

type Answer = { id: number; result: LoadResult } | { id: number; error: string };

export class LoadClient {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (result: LoadResult) => void; reject: (error: Error) => void }
  >();

  constructor() {
    const tsx = import.meta.resolve("tsx/esm/api");
    const code = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(import.meta.url)}); });`;
    this.worker = new Worker(code, { eval: true });
    this.worker.on("message", (answer: Answer) => {
      const waiter = this.pending.get(answer.id);
      this.pending.delete(answer.id);
      if ("error" in answer) waiter?.reject(new Error(`load generator: ${answer.error}`));
      else waiter?.resolve(answer.result);
    });
    this.worker.on("error", (error) => {
      for (const waiter of this.pending.values()) waiter.reject(error);
      this.pending.clear();
    });
  }

  run(spec: LoadSpec): Promise<LoadResult> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, spec });
    });
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}

async function postToBridge(spec: LoadSpec, job: Job): Promise<{ ok: boolean; status: number }> {
  const response = await fetch(`${spec.bridgeUrl}/messages`, {
    method: "POST",
    headers: { authorization: `Bearer ${spec.apiKey}`, "content-type": "application/json" },
    body: JSON.stringify({
      user_id: job.userId,
      ...(job.threadId ? { thread_id: job.threadId } : {}),
      message_id: job.messageId,
      content: job.content,
    }),
  });
  await response.text();
  return { ok: response.status === 201, status: response.status };
}

/** The worker side: one LoadSpec per message, answered with its LoadResult. */
function serveLoads(port: NonNullable<typeof parentPort>): void {
  port.on("message", ({ id, spec }: { id: number; spec: LoadSpec }) => {
    const send =
      spec.target === "bridge" ? (job: Job) => postToBridge(spec, job) : (job: Job) => postNaively(spec.chatwoot, job);
    runLanes(spec.lanes, send).then(
      (result) => port.postMessage({ id, result }),
      (error: unknown) => port.postMessage({ id, error: error instanceof Error ? error.message : String(error) }),
    );
  });
}

if (!isMainThread && parentPort) serveLoads(parentPort);
