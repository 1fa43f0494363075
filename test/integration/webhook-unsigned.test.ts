// CHATWOOT_WEBHOOK_ALLOW_UNSIGNED=true (Chatwoot older than 4.13): unsigned webhooks need ?token=<secret>.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestBridge, type TestBridge } from "../support/bridge.js";
import { openConversation, settle, type Delivered } from "../support/replies.js";
import { webhookFixtureFor } from "../support/fixtures.js";
import { sandboxOf, scopeOf } from "../support/bridge.js";
import { postWebhook } from "../support/webhook-post.js";
import { heldWebhooks } from "../support/shuffled-webhooks.js";

let t: TestBridge;
let secret: string;
let conversationId: number;
const bodyFor = (id: number) => {
  const reply = webhookFixtureFor("message_created.outgoing.json", scopeOf(t));
  return JSON.stringify({ ...reply, id, conversation: { ...(reply.conversation as object), id: conversationId } });
};
beforeAll(async () => {
  t = await startTestBridge({ CHATWOOT_WEBHOOK_ALLOW_UNSIGNED: "true" });
  secret = t.bridge.config.chatwootWebhookSecret ?? "";
  conversationId = await openConversation(t, "unsigned-user");
  await settle(t);
});
afterAll(async () => t.close());

const deliveredIds = () => (t.bridge.receiver?.received() ?? []).map((d) => (d.body as Delivered).data.message?.id);

describe("unsigned webhooks when allowed", () => {
  it("accepts an unsigned webhook whose URL carries the secret as ?token=", async () => {
    // A reply the sandbox holds (the worker reads it from Chatwoot), announced by our own unsigned webhook only.
    let replyId = 0;
    const held = await heldWebhooks(t, "message_created", () => {
      replyId = sandboxOf(t).reply(conversationId, "An answer, announced unsigned").id;
    });
    expect(held).toHaveLength(1);
    const response = await postWebhook(t.bridge.url, bodyFor(replyId), {
      query: `?token=${encodeURIComponent(secret)}`,
    });
    expect(response.status).toBe(200);
    await t.bridge.receiver?.next((d) => (d.body as Delivered).data.message?.id === replyId);
  });

  it.each([
    ["no token", ""],
    ["a wrong token", "?token=wrong"],
    ["an empty token", "?token="],
  ])("refuses an unsigned webhook with %s", async (_name, query) => {
    const response = await postWebhook(t.bridge.url, bodyFor(880_002), { query });
    expect(response.status).toBe(401);
    await settle(t);
    expect(deliveredIds()).not.toContain(880_002);
  });

  it("still verifies a signature when one is sent, token or not", async () => {
    const response = await postWebhook(t.bridge.url, bodyFor(880_003), {
      secret: "wrong",
      query: `?token=${encodeURIComponent(secret)}`,
    });
    expect(response.status).toBe(401);
    await settle(t);
    expect(deliveredIds()).not.toContain(880_003);
  });
});
