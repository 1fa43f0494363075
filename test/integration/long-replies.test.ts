// Chatwoot's longest reply end to end (issue 12 item 2): 150,000 CJK characters, which Chatwoot repeats three times
// in one webhook (≈1.35 MB, spec §8), pass the webhook route and the 1 MiB queue and reach the receiver whole.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { receiverOf, sandboxOf, startTestBridge, type TestBridge } from "../support/bridge.js";
import { openConversation, settle, type Delivered } from "../support/replies.js";

let t: TestBridge;
beforeAll(async () => {
  t = await startTestBridge();
});
afterAll(async () => t.close());

/** Chatwoot's content limit (CONTRACT.md §2.4), in three-byte UTF-8 characters. */
const LONGEST_CJK = "長".repeat(150_000);

describe("the longest agent reply Chatwoot allows", () => {
  it("is delivered whole although its webhook carries the text three times (≈1.35 MB)", async () => {
    const conversationId = await openConversation(t, "long-reply");
    const reply = sandboxOf(t).reply(conversationId, LONGEST_CJK);
    const webhook = await sandboxOf(t).waitForWebhook(
      (w) => w.event === "message_created" && (JSON.parse(w.body) as { id: number }).id === reply.id,
    );
    expect(Buffer.byteLength(webhook.body)).toBeGreaterThan(1_350_000);
    expect(webhook.body.split(LONGEST_CJK).length - 1).toBe(3);

    const delivery = await receiverOf(t).next((d) => (d.body as Delivered).data.message?.id === reply.id);
    expect((delivery.body as Delivered).data.message?.content).toBe(LONGEST_CJK);
    const marked = await sandboxOf(t).waitForMessage((m) => m.id === reply.id && m.status === "delivered");
    expect(marked.content).toBe(LONGEST_CJK);
  });

  it("refuses a webhook over 4 MiB with 413 naming the limit, not 401, and queues nothing", async () => {
    await settle(t);
    const before = t.bridge.queue.stats();
    const response = await fetch(`${t.bridge.url}/webhooks/chatwoot`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-chatwoot-signature": "sha256=00", "x-chatwoot-timestamp": "1" },
      body: `{"content":"${"x".repeat(4 * 1024 * 1024)}"}`,
    });
    expect([response.status, await response.json()]).toEqual([
      413,
      { error: { code: "payload_too_large", message: "Body is larger than 4194304 bytes" } },
    ]);
    expect(t.bridge.queue.stats()).toEqual(before);
  });
});
