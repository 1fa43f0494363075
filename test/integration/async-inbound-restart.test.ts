// A message accepted with `Prefer: respond-async` is durable (spec §3.3): accepted while Chatwoot is down, the
// bridge stopped and started again on the same data, it is posted once Chatwoot is back, and reported.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { receiverOf, sandboxOf, startTestBridge, type TestBridge } from "../support/bridge.js";

const env = { BRIDGE_API_KEY: "restart-test-api-key-0123456789", DATA_DIR: mkdtempSync(join(tmpdir(), "cwb-async-")) };
const open: TestBridge[] = [];
afterAll(async () => {
  for (const bridge of open) await bridge.close();
});

describe("a message accepted for later", () => {
  it("survives a restart of the bridge and is posted once afterwards", async () => {
    // One second between attempts: the first bridge tries, fails, and still holds the message when it stops.
    const first = await startTestBridge(env, { inboundRetryDelaySeconds: () => 1 });
    open.push(first);
    sandboxOf(first).addFault({ route: "*", kind: "error", status: 503 });
    const body = { user_id: "restart-1", message_id: "r-1", content: "kept across a restart" };
    expect((await first.api("POST", "/messages", body, { prefer: "respond-async" })).status).toBe(202);
    await first.bridge.inboundQueue.idle();
    expect(first.logLines.some((line) => line.includes('"inbound.attempt_failed"'))).toBe(true);
    await first.close();
    open.pop();

    const second = await startTestBridge(env, { inboundRetryDelaySeconds: () => 1 });
    open.push(second);
    const outcome = await receiverOf(second).next();
    expect(outcome.body).toMatchObject({ type: "message.posted", data: { user_id: "restart-1", message_id: "r-1" } });
    const incoming = sandboxOf(second)
      .messages()
      .filter((m) => m.content === "kept across a restart");
    expect(incoming.length).toBe(1);
  });
});
