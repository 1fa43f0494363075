// No secret, token, pubsub_token, message content or raw user_id ever reaches a log line (STYLE.md §7).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestBridge, type TestBridge } from "../support/bridge.js";
import { settle, type Delivered } from "../support/replies.js";
import { webhookFixtureText } from "../support/fixtures.js";
import { postWebhook } from "../support/webhook-post.js";

let t: TestBridge;
beforeAll(async () => {
  t = await startTestBridge();
});
afterAll(async () => t.close());

describe("log lines", () => {
  it("carry ids and outcomes only, whatever flows through the bridge", async () => {
    const sandbox = t.bridge.sandbox;
    const receiver = t.bridge.receiver;
    if (!sandbox || !receiver) throw new Error("sandbox and receiver expected");
    const userId = "secret-user-QX7";
    const first = await t.api("POST", "/messages", {
      user_id: userId,
      message_id: "m-1",
      content: "my card number is 4111-CONTENT-MARKER",
      contact: { name: "Ada NAME-MARKER", email: "ada.marker@example.com", phone_number: "+4915112345678" },
    });
    const conversationId = (first.body as { conversation_id: number }).conversation_id;
    await t.api("POST", "/messages", { user_id: userId, message_id: "m-1", content: "reused REUSE-MARKER" });
    await t.api(
      "POST",
      "/messages",
      { user_id: userId, content: "x" },
      { authorization: "Bearer wrong-key-WRONGKEY-MARKER" },
    );
    const reply = sandbox.reply(conversationId, "agent says REPLY-MARKER");
    await receiver.next((d) => (d.body as Delivered).data.message?.id === reply.id);
    await postWebhook(t.bridge.url, webhookFixtureText("message_created.outgoing.json"), {
      secret: t.bridge.config.chatwootWebhookSecret ?? "",
    });
    await postWebhook(t.bridge.url, webhookFixtureText("message_created.outgoing.json"), { secret: "bad" });
    await settle(t);

    const forbidden = [
      userId,
      "CONTENT-MARKER",
      "NAME-MARKER",
      "ada.marker@example.com",
      "+4915112345678",
      "REUSE-MARKER",
      "WRONGKEY-MARKER",
      "REPLY-MARKER",
      "q8X2vNcT5kRbWm3YpLd7HsJe", // pubsub_token of the example payload
      "Hola María",
      t.bridge.apiKey,
      t.bridge.config.chatwootApiToken,
      t.bridge.config.chatwootWebhookSecret ?? "unset",
      Buffer.from(t.bridge.config.deliverySecret ?? []).toString("base64"),
    ];
    const structured = t.logLines.filter((line) => line.startsWith("{"));
    expect(structured.length).toBeGreaterThan(10);
    for (const line of t.logLines) {
      for (const value of forbidden) expect(line, `a log line contains a forbidden value`).not.toContain(value);
    }
    const events = new Set(structured.map((line) => (JSON.parse(line) as { event: string }).event));
    expect([...events].sort()).toEqual(
      expect.arrayContaining([
        "delivery.delivered",
        "request.completed",
        "request.failed",
        "webhook.queued",
        "webhook.refused",
      ]),
    );
  });
});
