// A bridge killed during a reply's last delivery attempt and started again on the same data: the reply still ends
// marked failed in Chatwoot with a reason, locally as in AWS, because the attempt was counted in the table before
// the POST (issue 12 item 3): the worker, not a receive limit, knows no attempt is left, and dead-letters it itself.
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startReceiver, type Receiver } from "../../dev/receiver.js";
import { startSandbox, type Sandbox } from "../../dev/sandbox/server.js";
import { parseWebhookSecret } from "../../functions/config.js";
import { type BridgeProcess, startBridgeProcess } from "../support/bridge-process.js";

const API_KEY = "crash-test-api-key-0123456789";
const DELIVERY_SECRET = `whsec_${randomBytes(32).toString("base64")}`;

let sandbox: Sandbox;
let receiver: Receiver;
const running: BridgeProcess[] = [];

beforeAll(async () => {
  // Chatwoot and the receiving system live on: only the bridge crashes.
  sandbox = await startSandbox({ host: "127.0.0.1", port: 0 });
  const secret = parseWebhookSecret(DELIVERY_SECRET);
  if (!secret) throw new Error("the test's DELIVERY_SECRET did not parse");
  receiver = await startReceiver({ secret, log: () => undefined });
});

afterAll(async () => {
  for (const bridge of running) await bridge.kill();
  await receiver.close();
  await sandbox.close();
});

async function startBridge(dataDir: string): Promise<BridgeProcess> {
  const bridge = await startBridgeProcess({
    DATA_DIR: dataDir,
    BRIDGE_API_KEY: API_KEY,
    CHATWOOT_BASE_URL: sandbox.url,
    CHATWOOT_ACCOUNT_ID: String(sandbox.accountId),
    CHATWOOT_INBOX_ID: String(sandbox.inboxId),
    CHATWOOT_API_TOKEN: sandbox.apiToken,
    CHATWOOT_WEBHOOK_SECRET: sandbox.webhookSecret,
    DELIVERY_URL: receiver.url,
    DELIVERY_SECRET,
    DELIVERY_RETRY_SCHEDULE: "20ms,20ms,20ms",
  });
  running.push(bridge);
  sandbox.setWebhookUrl(`${bridge.url}/webhooks/chatwoot`);
  return bridge;
}

describe("a bridge killed during a reply's last attempt", () => {
  // Two cold starts of a child process (tsx): allow for a loaded machine.
  it("marks the reply failed with a reason after the restart, delivers nothing, and dead-letters it", {
    timeout: 60_000,
  }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "cwb-crash-"));
    const first = await startBridge(dataDir);
    const posted = await fetch(`${first.url}/messages`, {
      method: "POST",
      headers: { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" },
      body: JSON.stringify({ user_id: "crash-1", message_id: "hello", content: "hello" }),
    });
    expect(posted.status).toBe(201);
    const { conversation_id: conversationId } = (await posted.json()) as { conversation_id: number };

    receiver.failFor(3);
    const lastAttempt = receiver.holdNext();
    const reply = sandbox.reply(conversationId, "are you still there?");
    expect((await lastAttempt.arrived).webhookId).toBe(`msg_${reply.id}`);
    await first.kill();
    // Until the second bridge's URL is set, a webhook (the failed mark's message_updated) would hit the dead port
    // and make Chatwoot overwrite the reason with its connection error: none is sent meanwhile.
    sandbox.setWebhookUrl(null);
    expect((await sandbox.waitForMessage((m) => m.id === reply.id)).status).toBe("sent");

    const second = await startBridge(dataDir);
    await second.printed(/"event":"delivery\.dead_lettered"/);
    const marked = await sandbox.waitForMessage((m) => m.id === reply.id && m.status === "failed");
    expect(marked.contentAttributes.external_error).toBe(
      "Not delivered after 4 attempts: the last attempt was interrupted before the receiver answered.",
    );
    expect(receiver.received()).toEqual([]);
    expect(await second.stop()).toBe(0);
  });
});
