// Chatwoot's longest reply end to end (issue 12 item 2): 150,000 CJK characters, which Chatwoot repeats three times
// in one webhook (≈1.35 MB, spec §8), pass the webhook route and the 1 MiB queue and reach the receiver whole.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { receiverOf, sandboxOf, startTestBridge, type TestBridge } from "../support/bridge.js";
import { openConversation, type Delivered } from "../support/replies.js";

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
});
