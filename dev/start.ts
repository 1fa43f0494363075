// `npm start`: the whole bridge on this machine (spec §6). Prints where everything is and a first curl to try.
import { existsSync } from "node:fs";
import { ConfigError, unknownVariables } from "../functions/config.js";
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
    bridge = await startLocalBridge(env, { sandboxPort: near(1), receiverPort: near(2), storeThread: true });
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const lines = [
    "",
    ...unknownVariables(env).map(
      (name) => `warning: ${name} is not a variable the bridge knows (a typo?); it is ignored`,
    ),
    ...chatwootWarning(bridge),
    `chatwoot-bridge is running on ${bridge.url}`,
    `  console:  ${bridge.url}/console   (the loop as it happens: conversations, replies, deliveries)`,
    `  openapi:  ${bridge.url}/openapi.json`,
    `  store:    ${bridge.config.dynamodbEndpoint?.href ?? "?"} (data in ${bridge.config.dataDir})`,
    `  chatwoot: ${describeChatwoot(bridge)}`,
    `  delivery: ${bridge.receiver ? `built-in receiver at ${bridge.receiver.url}` : "DELIVERY_URL"}`,
    `  sweep:    every ${bridge.config.sweepIntervalMs / 60_000} min, ${bridge.config.sweepLookbackMs / 60_000} min back   (npm run sweep runs it now)`,
    ...(bridge.receiverSecret
      ? [`  secret:   ${bridge.receiverSecret}   (DELIVERY_SECRET of the built-in receiver)`]
      : []),
    bridge.generatedApiKey
      ? `  api key:  ${bridge.apiKey}   (generated for this run; set BRIDGE_API_KEY to keep one)`
      : "  api key:  BRIDGE_API_KEY",
    "",
    "Try:",
    // Double quotes: the shell fills in $BRIDGE_API_KEY when the key is set rather than generated.
    `  curl -s -X POST ${bridge.url}/messages -H "authorization: Bearer ${bridge.generatedApiKey ? bridge.apiKey : "$BRIDGE_API_KEY"}" \\`,
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

function describeChatwoot(bridge: LocalBridge): string {
  if (bridge.sandbox) return `built-in sandbox at ${bridge.sandbox.url}`;
  // The config refuses a CHATWOOT_BASE_URL with user:password@, so it holds no credentials to hide.
  const url = bridge.config.chatwootBaseUrl?.href ?? "?";
  const probe = bridge.chatwootProbe;
  return probe?.ok ? `${url} (inbox ${bridge.config.chatwootInboxId} "${probe.inboxName}" answered)` : url;
}

/** A refused token or an unreachable Chatwoot, named before "running": the first user message would fail on it. */
function chatwootWarning(bridge: LocalBridge): string[] {
  const probe = bridge.chatwootProbe;
  return probe && !probe.ok ? [`warning: ${probe.problem}; messages will fail until this is fixed`] : [];
}

main().catch((error: unknown) => {
  process.stderr.write(`chatwoot-bridge failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
