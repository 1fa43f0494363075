// Starts the whole local bridge for an integration test file: real HTTP, the embedded store in a temp dir,
// the in-process queue, the Chatwoot sandbox and the receiver. Log lines are captured, not printed.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLogger } from "../../functions/log.js";
import { startLocalBridge, type LocalBridge, type LocalOptions } from "../../dev/local-runtime.js";
import type { Receiver } from "../../dev/receiver.js";
import type { Sandbox } from "../../dev/sandbox/server.js";

export interface ApiAnswer {
  status: number;
  headers: Headers;
  body: unknown;
  text: string;
}

export interface TestBridge {
  bridge: LocalBridge;
  logLines: string[];
  /** What the receiver printed for the person at the console (it shows texts, so it is no log line). */
  consoleLines: string[];
  dataDir: string;
  api(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiAnswer>;
  close(): Promise<void>;
}

export async function startTestBridge(
  env: Record<string, string> = {},
  options: LocalOptions = {},
): Promise<TestBridge> {
  // env.DATA_DIR restarts on an earlier bridge's data (its mappings, queue and sandbox); else a fresh temp dir.
  const dataDir = env.DATA_DIR ?? mkdtempSync(join(tmpdir(), "cwb-test-"));
  const logLines: string[] = [];
  const consoleLines: string[] = [];
  const bridge = await startLocalBridge(
    { PORT: "0", DATA_DIR: dataDir, DELIVERY_RETRY_SCHEDULE: "50ms,50ms,50ms", ...env },
    {
      log: createLogger({}, (line) => logLines.push(line), "debug"),
      print: (line) => consoleLines.push(line),
      ...options,
    },
  );
  const api = async (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiAnswer> => {
    const init: RequestInit = {
      method,
      headers: {
        authorization: `Bearer ${bridge.apiKey}`,
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: typeof body === "string" ? body : JSON.stringify(body) } : {}),
    };
    const response = await fetch(`${bridge.url}${path}`, init);
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: response.status, headers: response.headers, body: parsed, text };
  };
  return { bridge, logLines, consoleLines, dataDir, api, close: () => bridge.close() };
}

/** The built-in Chatwoot sandbox, which every test bridge started without CHATWOOT_BASE_URL has. */
export function sandboxOf(t: TestBridge): Sandbox {
  if (!t.bridge.sandbox) throw new Error("this test bridge has no built-in sandbox");
  return t.bridge.sandbox;
}

/** The built-in delivery receiver, which every test bridge started without DELIVERY_URL has. */
export function receiverOf(t: TestBridge): Receiver {
  if (!t.bridge.receiver) throw new Error("this test bridge has no built-in receiver");
  return t.bridge.receiver;
}

/** The account and inbox this bridge serves: webhooks naming others are ignored. */
export function scopeOf(t: TestBridge): { accountId: number; inboxId: number } {
  return { accountId: t.bridge.config.chatwootAccountId, inboxId: t.bridge.config.chatwootInboxId };
}
