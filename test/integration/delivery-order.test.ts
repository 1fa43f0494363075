// Replies go out in Chatwoot's message order, whatever order the webhooks arrive in (spec §5, issue 13 item 7):
// signed webhooks built by the sandbox are POSTed to the bridge shuffled, all at once or one by one with the
// worker running in between, some of them twice; every conversation's deliveries must be in id order, none twice.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { receiverOf, sandboxOf, startTestBridge, type TestBridge } from "../support/bridge.js";
import { openConversation, settle, type Delivered } from "../support/replies.js";
import { heldWebhooks, postHeld, shuffled } from "../support/shuffled-webhooks.js";

let t: TestBridge;
beforeAll(async () => {
  t = await startTestBridge({ DELIVERY_RETRY_SCHEDULE: "20ms,20ms,20ms" });
});
afterAll(async () => t.close());

const CONVERSATIONS = 30;

/** Each conversation's delivered reply ids, in the order the receiver got them. */
function deliveredIds(conversationIds: number[]): number[][] {
  const bodies = receiverOf(t)
    .received()
    .map((d) => d.body as Delivered);
  return conversationIds.map((id) =>
    bodies
      .filter((b) => b.type === "message.created" && b.data.conversation_id === id)
      .map((b) => b.data.message?.id ?? -1),
  );
}

async function replyShuffled(prefix: string, repliesEach: number, mode: "all at once" | "one by one", seed: number) {
  const users = Array.from({ length: CONVERSATIONS }, (_, i) => `${prefix}-${i}`);
  const conversationIds = await Promise.all(users.map((user) => openConversation(t, user)));
  await settle(t);
  sandboxOf(t).resetCalls();
  const written: number[][] = [];
  const held = await heldWebhooks(t, "message_created", () => {
    for (const id of conversationIds) {
      written.push(Array.from({ length: repliesEach }, (_, k) => sandboxOf(t).reply(id, `${prefix} ${id}.${k}`).id));
    }
  });
  expect(held).toHaveLength(CONVERSATIONS * repliesEach);
  // Chatwoot sends an event twice now and then: every fifth webhook arrives a second time, later.
  const arrivals = shuffled([...held, ...held.filter((_, i) => i % 5 === 0)], seed);
  const firstArrival = (id: number) => arrivals.findIndex((e) => (JSON.parse(e.body) as { id: number }).id === id);
  // The shuffle really does reverse replies: otherwise this test would prove nothing.
  expect(written.some((ids) => firstArrival(ids[0] ?? 0) > firstArrival(ids[1] ?? 0))).toBe(true);

  if (mode === "all at once") {
    expect(new Set(await Promise.all(arrivals.map((entry) => postHeld(t, entry))))).toEqual(new Set([200]));
  } else {
    for (const entry of arrivals) {
      expect(await postHeld(t, entry)).toBe(200);
      await t.bridge.queue.idle();
    }
  }
  await settle(t);
  expect(deliveredIds(conversationIds)).toEqual(written);
  const marked = sandboxOf(t)
    .messages()
    .filter((m) => written.flat().includes(m.id));
  expect(marked.map((m) => m.status)).toEqual(written.flat().map(() => "delivered"));
  // What it costs (docs/delivery.md §4): one list call per signal (two on a conversation's first pull), one mark per reply.
  const calls = sandboxOf(t).calls();
  expect(calls["PATCH /conversations/:id/messages/:message_id"]).toBe(written.flat().length);
  expect(calls["GET /conversations/:id/messages"]).toBeLessThanOrEqual(arrivals.length + CONVERSATIONS);
}

describe("replies whose webhooks arrive shuffled", { timeout: 180_000 }, () => {
  it("delivers two replies per conversation in message order, none twice, when all webhooks arrive at once", async () => {
    await replyShuffled("two-at-once", 2, "all at once", 1);
  });

  it("delivers two replies per conversation in message order when the worker runs between arrivals", async () => {
    await replyShuffled("two-one-by-one", 2, "one by one", 2);
  });

  it("delivers five replies per conversation in message order, none twice, when all webhooks arrive at once", async () => {
    await replyShuffled("five-at-once", 5, "all at once", 3);
  });

  it("delivers five replies per conversation in message order when the worker runs between arrivals", async () => {
    await replyShuffled("five-one-by-one", 5, "one by one", 4);
  });
});
