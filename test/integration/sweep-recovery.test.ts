// The catch-up sweep end to end (issue 13): what Chatwoot's one-shot webhooks lost is delivered by one sweep, in
// order, and never twice. With the bridge's webhook route unreachable (Chatwoot then marks each reply `failed`,
// CONTRACT-addendum §A.6), the agent replies A1, A2, A3 in A and B1, B2 in B, deletes A2 and resolves B; once the
// route is back, one sweep signals both conversations and the delivery worker reads their messages after its cursor. A2 was deleted before
// the worker read it, so it is never delivered (conversation-pull.ts delivers only replies not deleted).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WebhookLogEntry } from "../../dev/sandbox/webhooks.js";
import { receiverOf, sandboxOf, startTestBridge, type TestBridge } from "../support/bridge.js";
import { openConversation, settle, type Delivered } from "../support/replies.js";
import { postHeld, webhookUrl } from "../support/shuffled-webhooks.js";

let t: TestBridge;
beforeAll(async () => {
  t = await startTestBridge({ DELIVERY_RETRY_SCHEDULE: "20ms,20ms,20ms" });
});
afterAll(async () => t?.close());

/** What the receiver got since `from`, one line per delivery: type, conversation, and the message id or status. */
function deliveriesSince(from: number): string[] {
  return receiverOf(t)
    .received()
    .slice(from)
    .map((d) => d.body as Delivered)
    .map((b) => `${b.type} ${b.data.conversation_id} ${b.data.message?.id ?? b.data.status}`);
}

const sweepFound = (signalled: number, unchanged: number) => ({
  listed: 2,
  signalled,
  unchanged,
  unowned: 0,
  passComplete: true,
});

describe("the catch-up sweep recovers lost webhooks", { timeout: 60_000 }, () => {
  let a = 0;
  let b = 0;
  let ids: Record<"a1" | "a2" | "a3" | "b1" | "b2", number>;
  let lost: WebhookLogEntry[] = [];
  let afterSweep = 0;

  it("delivers every reply and status change whose webhook was lost, in order, not the reply deleted unread, and marks them delivered", async () => {
    a = await openConversation(t, "u-a");
    b = await openConversation(t, "u-b");
    await settle(t);
    const sandbox = sandboxOf(t);
    sandbox.clearWebhookLog();
    const before = receiverOf(t).received().length;
    sandbox.setWebhookUrl("http://127.0.0.1:1/webhooks");

    ids = {
      a1: sandbox.reply(a, "A1").id,
      b1: sandbox.reply(b, "B1").id,
      a2: sandbox.reply(a, "A2").id,
      a3: sandbox.reply(a, "A3").id,
      b2: sandbox.reply(b, "B2").id,
    };
    sandbox.deleteMessage(a, ids.a2);
    sandbox.resolve(b);
    await sandbox.webhooksIdle();
    lost = sandbox.webhookLog();
    // Every webhook of that time was lost, and Chatwoot marked each reply failed for it.
    expect(new Set(lost.map((entry) => entry.outcome))).toEqual(new Set(["failed"]));
    // What step 8 re-posts: the five replies, the deletion and each failure marking, the status change.
    const count = (event: string) => lost.filter((entry) => entry.event === event).length;
    expect([count("message_created"), count("message_updated"), count("conversation_status_changed")]).toEqual([
      5, 6, 1,
    ]);
    const { a1, a3, b1, b2 } = ids;
    const statusOf = (id: number) => sandbox.messages().find((m) => m.id === id)?.status;
    expect([a1, a3, b1, b2].map(statusOf)).toEqual(["failed", "failed", "failed", "failed"]);
    expect(deliveriesSince(before)).toEqual([]);

    // The outage ends. Chatwoot never sends those webhooks again (CONTRACT.md §4.3); while the route stayed
    // unreachable, the failing message_updated of each `delivered` mark would make Chatwoot mark it failed again.
    sandbox.setWebhookUrl(webhookUrl(t));
    expect(await t.bridge.sweep.runOnce()).toEqual(sweepFound(2, 0));
    await settle(t);

    const delivered = deliveriesSince(before);
    expect(delivered.filter((line) => line.split(" ")[1] === String(a))).toEqual([
      `message.created ${a} ${a1}`,
      `message.created ${a} ${a3}`,
    ]);
    expect(delivered.filter((line) => line.split(" ")[1] === String(b))).toEqual([
      `message.created ${b} ${b1}`,
      `message.created ${b} ${b2}`,
      `conversation.status_changed ${b} resolved`,
    ]);
    expect(delivered).toHaveLength(5);
    expect([a1, a3, b1, b2].map(statusOf)).toEqual(["delivered", "delivered", "delivered", "delivered"]);
    expect(sandbox.messages().find((m) => m.id === ids.a2)?.contentAttributes).toMatchObject({ deleted: true });
    expect((await t.api("GET", "/contacts/u-b")).body).toMatchObject({ conversation_id: b, status: "resolved" });
    expect((await t.api("GET", "/contacts/u-a")).body).toMatchObject({ conversation_id: a, status: "open" });
    afterSweep = receiverOf(t).received().length;
  });

  it("delivers nothing on a second sweep, nor when the lost webhooks arrive late", async () => {
    expect(afterSweep).toBeGreaterThan(0);
    // The `delivered` marks touched both conversations (a message update bumps its conversation's updated_at), so
    // the next sweep signals them again: the worker finds its cursor past every reply and delivers nothing.
    expect(await t.bridge.sweep.runOnce()).toEqual(sweepFound(2, 0));
    await settle(t);
    expect(deliveriesSince(afterSweep)).toEqual([]);
    // Nothing changed since: the sweep after that signals nothing.
    expect(await t.bridge.sweep.runOnce()).toEqual(sweepFound(0, 2));
    await settle(t);
    expect(deliveriesSince(afterSweep)).toEqual([]);

    for (const entry of lost) expect(await postHeld(t, entry)).toBe(200);
    await settle(t);
    expect(deliveriesSince(afterSweep)).toEqual([]);
    // The late deletion of A2 reached the worker, which skipped it: the receiver never had A2.
    const skipped = t.logLines.filter((l) => l.includes('"event":"delivery.skipped"') && l.includes("never delivered"));
    expect(skipped).toHaveLength(1);
    const statuses = [ids.a1, ids.a3, ids.b1, ids.b2].map((id) =>
      sandboxOf(t)
        .messages()
        .find((m) => m.id === id),
    );
    expect(statuses.map((m) => m?.status)).toEqual(["delivered", "delivered", "delivered", "delivered"]);
  });
});
