// `npm start`: the whole bridge on this machine (spec §6). Prints where everything is and a first curl to try.
import { existsSync } from "node:fs";
import { ConfigError } from "../functions/config.js";
import { startLocalBridge, type LocalBridge } from "./local-runtime.js";
import { describeSandbox } from "./sandbox/server.js";

/** Node's own .env reader; it never overwrites a variable the environment already has, so the real one wins. */
function loadDotEnv(path = ".env"): void {
  if (existsSync(path)) process.loadEnvFile(path);
}

async function main(): Promise<void> {
  loadDotEnv();
  const env = { ...process.env };
  const port = Number(env.PORT ?? 3000);
  let bridge: LocalBridge;
  try {
    // PORT=0 picks free ports for all three servers; otherwise the sandbox and receiver sit next to the bridge.
    const near = (offset: number) => (port === 0 ? 0 : port + offset);
    bridge = await startLocalBridge(env, { sandboxPort: near(1), receiverPort: near(2) });
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const lines = [
    "",
    `chatwoot-bridge is running on ${bridge.url}`,
    `  store:    ${bridge.config.dynamodbEndpoint?.href ?? "?"} (data in ${bridge.config.dataDir})`,
    `  chatwoot: ${bridge.sandbox ? `built-in sandbox at ${bridge.sandbox.url}` : bridge.config.chatwootBaseUrl?.href}`,
    `  delivery: ${bridge.receiver ? `built-in receiver at ${bridge.receiver.url}` : "DELIVERY_URL"}`,
    bridge.generatedApiKey
      ? `  api key:  ${bridge.apiKey}   (generated for this run; set BRIDGE_API_KEY to keep one)`
      : "  api key:  BRIDGE_API_KEY",
    "",
    "Try:",
    `  curl -s -X POST ${bridge.url}/messages -H 'authorization: Bearer ${bridge.generatedApiKey ? bridge.apiKey : "$BRIDGE_API_KEY"}' \\`,
    `    -H 'content-type: application/json' -d '{"user_id":"u-42","message_id":"m-1","content":"Hello"}'`,
    "",
    ...(bridge.sandbox ? describeSandbox(bridge.sandbox) : []),
    "",
  ];
  process.stdout.write(`${lines.join("\n")}\n`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal}: shutting down\n`);
    await bridge.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((error: unknown) => {
  process.stderr.write(`chatwoot-bridge failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
