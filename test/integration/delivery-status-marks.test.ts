// The mapping's status is Chatwoot's current one whatever order status webhooks arrive in, and a status mark
// Chatwoot did not take is retried on its own, without delivering again (issue 13 items 4 and 7).
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { receiverOf, sandboxOf, startTestBridge, type TestBridge } from "../support/bridge.js";
import { openConversation, settle, type Delivered } from "../support/replies.js";
import { heldWebhooks, postHeld } from "../support/shuffled-webhooks.js";

let t: TestBridge;
beforeAll(async () => {
  t = await startTestBridge({ DELIVERY_RETRY_SCHEDULE: "20ms,20ms,20ms" });
});
afterAll(async () => t.close());
afterEach(() => sandboxOf(t).clearFaults());

function statusDeliveries(conversationId: number): Array<string | undefined> {
  return receiverOf(t)
    .received()
    .map((d) => d.body as Delivered)
    .filter((b) => b.type === "conversation.status_changed" && b.data.conversation_id === conversationId)
    .map((b) => b.data.status);
}

async function resolveThenReopen(conversationId: number) {
  // Chatwoot builds a payload when it sends it (§A.6): each is built before the next change, so they differ.
  const held = await heldWebhooks(t, "conversation_status_changed", async () => {
    sandboxOf(t).resolve(conversationId);
    await sandboxOf(t).webhooksIdle();
    sandboxOf(t).reopen(conversationId);
  });
  expect(held.map((entry) => (JSON.parse(entry.body) as { status: string }).status)).toEqual(["resolved", "open"]);
  return held;
}

describe("conversation_status_changed in any order", () => {
  it("leaves the mapping open when resolved-then-open arrives reversed, and the next message goes to the same conversation", async () => {
    const conversationId = await openConversation(t, "reversed-1");
    await settle(t);
    const [resolved, reopened] = await resolveThenReopen(conversationId);
    if (!resolved || !reopened) throw new Error("two status webhooks expected");
    expect(await postHeld(t, reopened)).toBe(200);
    await settle(t);
    expect(await postHeld(t, resolved)).toBe(200);
    await settle(t);

    expect((await t.api("GET", "/contacts/reversed-1")).body).toMatchObject({
      conversation_id: conversationId,
      status: "open",
    });
    // Open before, open now: the late "resolved" is stale, so no change reaches the receiver.
    expect(statusDeliveries(conversationId)).toEqual([]);
    const next = await t.api("POST", "/messages", {
      user_id: "reversed-1",
      message_id: "after",
      content: "still there?",
    });
    expect(next.status).toBe(201);
    expect((next.body as { conversation_id: number }).conversation_id).toBe(conversationId);
  });

  it("delivers each real change once, in order, when the webhooks arrive in order and twice", async () => {
    const conversationId = await openConversation(t, "in-order-1");
    await settle(t);
    const [resolved, reopened] = await resolveThenReopen(conversationId);
    if (!resolved || !reopened) throw new Error("two status webhooks expected");
    for (const entry of [resolved, resolved, reopened, resolved, reopened]) {
      expect(await postHeld(t, entry)).toBe(200);
      await settle(t);
    }
    expect(statusDeliveries(conversationId)).toEqual(["resolved", "open"]);
    expect((await t.api("GET", "/contacts/in-order-1")).body).toMatchObject({ status: "open" });
  });
});

/** A mapped conversation, and Chatwoot refusing the next six status marks: more than the client's own five tries. */
async function conversationWithRefusedMarks(userId: string, status: number): Promise<number> {
  const conversationId = await openConversation(t, userId);
  await settle(t);
  sandboxOf(t).addFault({ route: "PATCH /conversations/:id/messages/:message_id", kind: "error", status, times: 6 });
  return conversationId;
}

describe("status marks Chatwoot did not take", { timeout: 60_000 }, () => {
  it("retries a delivered mark that failed with 503 on its own, and delivers the reply once", async () => {
    const conversationId = await conversationWithRefusedMarks("marks-1", 503);
    const reply = sandboxOf(t).reply(conversationId, "mark me");
    const marked = await sandboxOf(t).waitForMessage((m) => m.id === reply.id && m.status === "delivered");
    expect(marked.status).toBe("delivered");
    await settle(t);
    const deliveries = receiverOf(t)
      .received()
      .filter((d) => (d.body as Delivered).data.message?.id === reply.id);
    expect(deliveries).toHaveLength(1);
    // The client's own five tries all failed: the mark was left pending, then retried by its own record.
    const delivered = t.logLines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((line) => line.event === "delivery.delivered" && line.webhook_id === `msg_${reply.id}`);
    expect(delivered?.status_reported).toBe(false);
  });

  it("retries a failed mark after a 429 until Chatwoot takes it, with the reason", async () => {
    const conversationId = await conversationWithRefusedMarks("marks-2", 429);
    receiverOf(t).failFor(1, 410);
    const reply = sandboxOf(t).reply(conversationId, "gone already");
    const failed = await sandboxOf(t).waitForMessage((m) => m.id === reply.id && m.status === "failed");
    expect(failed.contentAttributes.external_error).toBe(
      "The receiving system answered 410 Gone; delivery was stopped.",
    );
    await settle(t);
    expect(
      receiverOf(t)
        .received()
        .filter((d) => (d.body as Delivered).data.message?.id === reply.id),
    ).toEqual([]);
  });
});
