// The start-up check of Chatwoot (dev/chatwoot-probe.ts) against the sandbox: one GET of the inbox names a
// refused token, a wrong inbox or an unreachable Chatwoot; and a client's error names the same cause.
import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { probeChatwoot } from "../../dev/chatwoot-probe.js";
import { startSandbox, type Sandbox } from "../../dev/sandbox/server.js";
import { ChatwootError, toBridgeError } from "../../functions/core/errors.js";
import { loadConfig } from "../../functions/config.js";

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});
afterAll(async () => sandbox.close());

const configFor = (overrides: Record<string, string>) =>
  loadConfig({
    CHATWOOT_BASE_URL: sandbox.url,
    CHATWOOT_ACCOUNT_ID: String(sandbox.accountId),
    CHATWOOT_INBOX_ID: String(sandbox.inboxId),
    CHATWOOT_API_TOKEN: sandbox.apiToken,
    CHATWOOT_WEBHOOK_SECRET: sandbox.webhookSecret,
    BRIDGE_API_KEY: "probe-test-key-0123456789",
    DELIVERY_URL: "http://127.0.0.1:9/deliveries",
    DELIVERY_SECRET: `whsec_${Buffer.alloc(32, 1).toString("base64")}`,
    ...overrides,
  });

/** A port nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === "object" && address ? address.port : 0;
}

describe("the start-up check of Chatwoot", () => {
  it("finds the inbox with a good token, in one call", async () => {
    sandbox.resetCalls();
    expect(await probeChatwoot(configFor({}))).toEqual({ ok: true, inboxName: "Bridge Inbox" });
    expect(sandbox.calls()).toEqual({ "GET /inboxes/:id": 1 });
  });

  it("names a refused token", async () => {
    expect(await probeChatwoot(configFor({ CHATWOOT_API_TOKEN: "wrong" }))).toEqual({
      ok: false,
      problem: "Chatwoot refused CHATWOOT_API_TOKEN (401)",
    });
  });

  it("names a wrong inbox id", async () => {
    const probe = await probeChatwoot(configFor({ CHATWOOT_INBOX_ID: "77" }));
    expect(probe).toEqual({
      ok: false,
      problem: `Chatwoot has no inbox 77 in account ${sandbox.accountId} (404): check CHATWOOT_ACCOUNT_ID and CHATWOOT_INBOX_ID`,
    });
  });

  it("names an unreachable Chatwoot", async () => {
    const port = await closedPort();
    const probe = await probeChatwoot(configFor({ CHATWOOT_BASE_URL: `http://127.0.0.1:${port}` }));
    expect(probe).toEqual({
      ok: false,
      problem: `Chatwoot at http://127.0.0.1:${port}/ could not be reached (ECONNREFUSED)`,
    });
  });
});

describe("a client's Chatwoot error", () => {
  it.each([
    [
      { kind: "failed", status: 401 },
      "chatwoot_error",
      "Chatwoot refused the bridge's CHATWOOT_API_TOKEN (401) (create contact)",
    ],
    [
      { kind: "unavailable" },
      "chatwoot_unavailable",
      "Chatwoot could not be reached at CHATWOOT_BASE_URL (create contact)",
    ],
    [{ kind: "unavailable", status: 503 }, "chatwoot_unavailable", "Chatwoot is unavailable (create contact)"],
    [{ kind: "failed", status: 500 }, "chatwoot_error", "Chatwoot failed with 500 (create contact)"],
  ] as const)("%o is %s: %s", (failure, code, message) => {
    const error = toBridgeError(new ChatwootError({ operation: "create contact", ...failure }));
    expect([error.code, error.message]).toEqual([code, message]);
  });
});
