// One mocked deploy per distinct input for a whole test run. vitest's globalSetup starts this service in its own
// process and infra test files ask it for a run by its inputs (shared-stack.ts), so the files that read the typical
// deploy share one run instead of each bundling and spawning their own. Runs start only when a file asks: a run
// of the unit tests alone costs nothing. Function packages stay until close(), for the cold starts.
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BundleCache } from "./bundle-cache.js";
import { isRecord } from "./fake-cli.js";
import { runStack, type StackRun, type StackRunOptions } from "./stack-run.js";

export interface StackService {
  url: string;
  /** Drops every run and bundle, for a watch-mode rerun after the sources changed. */
  forget(): void;
  close(): Promise<void>;
}

export async function startStackService(): Promise<StackService> {
  const root = mkdtempSync(join(tmpdir(), "chatwoot-bridge-infra-"));
  let bundles = new BundleCache(join(root, "bundles"));
  const runs = new Map<string, Promise<StackRun>>();
  const runOnce = (options: StackRunOptions): Promise<StackRun> => {
    const key = keyOf(options);
    const known = runs.get(key);
    if (known !== undefined) return known;
    const run = runStack(options, { work: mkdtempSync(join(root, "run-")), bundles });
    runs.set(key, run);
    return run;
  };
  const server = createServer((req, res) => {
    void readText(req)
      .then((text) => runOnce(optionsOf(JSON.parse(text))))
      .then(
        (run) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(run)),
        (error: unknown) => res.writeHead(500).end(error instanceof Error ? error.message : String(error)),
      );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  return {
    url: `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`,
    forget: () => {
      runs.clear();
      bundles = new BundleCache(join(root, `bundles-${Date.now()}`));
    },
    close: async () => {
      await new Promise((resolve) => server.close(resolve));
      // A run still going (its test file failed early) writes into root until it ends: wait, then remove.
      await Promise.allSettled(runs.values());
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** The same inputs in any key order are the same deploy. */
function keyOf(options: StackRunOptions): string {
  const sorted = (values: Record<string, string> | undefined) => Object.entries(values ?? {}).sort();
  return JSON.stringify([options.stage ?? "test", sorted(options.env), sorted(options.secrets)]);
}

function optionsOf(value: unknown): StackRunOptions {
  if (!isRecord(value)) throw new Error("A stack run request must be a JSON object");
  const strings = (field: unknown): Record<string, string> | undefined =>
    isRecord(field) ? Object.fromEntries(Object.entries(field).map(([k, v]) => [k, String(v)])) : undefined;
  const stage = typeof value.stage === "string" ? value.stage : undefined;
  return { stage, env: strings(value.env), secrets: strings(value.secrets) };
}

function readText(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}
