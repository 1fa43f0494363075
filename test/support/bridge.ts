// Starts the whole local bridge for an integration test file: real HTTP, the embedded store in a temp dir,
// the in-process queue, the Chatwoot sandbox and the receiver. Log lines are captured, not printed.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLogger } from "../../functions/log.js";
import { startLocalBridge, type LocalBridge, type LocalOptions } from "../../dev/local-runtime.js";

export interface ApiAnswer {
  status: number;
  headers: Headers;
  body: unknown;
  text: string;
}

export interface TestBridge {
  bridge: LocalBridge;
  logLines: string[];
  dataDir: string;
  api(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiAnswer>;
  close(): Promise<void>;
}

export async function startTestBridge(env: Record<string, string> = {}, options: LocalOptions = {}): Promise<TestBridge> {
  // env.DATA_DIR restarts on an earlier bridge's data (its mappings, queue and sandbox); else a fresh temp dir.
  const dataDir = env.DATA_DIR ?? mkdtempSync(join(tmpdir(), "cwb-test-"));
  const logLines: string[] = [];
  const bridge = await startLocalBridge(
    { PORT: "0", DATA_DIR: dataDir, DELIVERY_RETRY_SCHEDULE: "50ms,50ms,50ms", ...env },
    { log: createLogger({}, (line) => logLines.push(line), "debug"), print: (line) => logLines.push(line), ...options },
  );
  const api = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiAnswer> => {
    const init: RequestInit = {
      method,
      headers: { authorization: `Bearer ${bridge.apiKey}`, ...(body !== undefined ? { "content-type": "application/json" } : {}), ...headers },
      ...(body !== undefined ? { body: typeof body === "string" ? body : JSON.stringify(body) } : {}),
    };
    const response = await fetch(`${bridge.url}${path}`, init);
    const text = await response.text();
    let parsed: unknown = undefined;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: response.status, headers: response.headers, body: parsed, text };
  };
  return { bridge, logLines, dataDir, api, close: () => bridge.close() };
}
