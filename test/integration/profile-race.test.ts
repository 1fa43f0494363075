// The profile race across processes (issue 12): two bridges share one store and one Chatwoot. For 10 new users,
// one bridge takes `POST /contacts` with a name and e-mail while the other takes the user's first `POST /messages`
// (no profile) at the same moment; whoever creates the contact, every profile reaches Chatwoot.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type BridgeProcess, startBridgeProcess } from "../support/bridge-process.js";
import { sandboxOf, startTestBridge, type TestBridge } from "../support/bridge.js";

const API_KEY = "profile-race-key-0123456789";

let here: TestBridge;
let there: BridgeProcess;
beforeAll(async () => {
  // Latency widens the window in which both requests find the user unknown.
  here = await startTestBridge({ BRIDGE_API_KEY: API_KEY }, { sandbox: { latencyMs: 300 } });
  const sandbox = sandboxOf(here);
  there = await startBridgeProcess({
    BRIDGE_API_KEY: API_KEY,
    DATA_DIR: mkdtempSync(join(tmpdir(), "cwb-race-")),
    DYNAMODB_ENDPOINT: here.bridge.config.dynamodbEndpoint?.href ?? "",
    CHATWOOT_BASE_URL: sandbox.url,
    CHATWOOT_ACCOUNT_ID: String(sandbox.accountId),
    CHATWOOT_INBOX_ID: String(sandbox.inboxId),
    CHATWOOT_API_TOKEN: sandbox.apiToken,
    CHATWOOT_WEBHOOK_SECRET: sandbox.webhookSecret ?? "",
  });
}, 60_000);
afterAll(async () => {
  await there?.stop();
  await here?.close();
});

async function postThere(path: string, body: unknown): Promise<number> {
  const response = await fetch(`${there.url}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  await response.arrayBuffer();
  return response.status;
}

describe("POST /contacts racing the user's first POST /messages in another process", () => {
  it("leaves all 10 contacts with the given name and e-mail, one contact per user", async () => {
    const users = Array.from({ length: 10 }, (_, i) => `race-${i}`);
    sandboxOf(here).resetCalls();
    // The losing order of the issue: each first message is creating its contact (the create is in flight in
    // Chatwoot, the mapping not yet stored) when the profile arrives at the other process.
    const messages = users.map((userId) =>
      here.api("POST", "/messages", { user_id: userId, message_id: "m-1", content: "first" }).then((a) => a.status),
    );
    await vi.waitFor(() => expect(sandboxOf(here).calls()["POST /contacts"]).toBe(10), { timeout: 10_000 });
    const profiles = users.map((userId) =>
      postThere("/contacts", { user_id: userId, name: `Name ${userId}`, email: `${userId}@example.com` }),
    );
    // The contacts existed by then (the messages made them): 200 each; each message 201.
    const answers = await Promise.all([...profiles, ...messages]);
    expect(answers).toEqual([...users.map(() => 200), ...users.map(() => 201)]);
    const contacts = sandboxOf(here)
      .contacts()
      .filter((c) => c.identifier?.startsWith("race-"))
      .map((c) => ({ identifier: c.identifier, name: c.name, email: c.email }))
      .sort((a, b) => String(a.identifier).localeCompare(String(b.identifier)));
    expect(contacts).toEqual(
      users.map((userId) => ({ identifier: userId, name: `Name ${userId}`, email: `${userId}@example.com` })),
    );
  }, 60_000);
});
