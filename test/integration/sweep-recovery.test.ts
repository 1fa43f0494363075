// The catch-up sweep end to end (issue 13): what Chatwoot's one-shot webhooks lost is delivered by one sweep, in
// order, and never twice. It needs the delivery worker that answers `conversation.changed` by reading the
// conversation's messages after its cursor (issue 13 item 7, built beside this branch): the merger finishes it.
import { describe, it } from "vitest";

describe("the catch-up sweep recovers lost webhooks", () => {
  // Scenario, on startTestBridge() with the sandbox and the receiver:
  //  1. Users u-a and u-b each POST /messages once: two mapped conversations A and B.
  //  2. The bridge's webhook route becomes unreachable: sandboxOf(t).setWebhookUrl("http://127.0.0.1:1/webhooks")
  //     (Chatwoot then marks each reply `failed`, CONTRACT-addendum §A.6).
  //  3. The agent replies five times: A1, A2, A3 in A and B1, B2 in B (sandbox.reply); deletes A2
  //     (sandbox.deleteMessage); resolves B (sandbox.resolve).
  //  4. await t.bridge.sweep.runOnce() → { signalled: 2 }; await t.bridge.queue.drained().
  //  5. The receiver got, for A: message.created A1, message.created A3 (A2 was deleted before it was read, so it is
  //     never delivered; or, if the worker delivers deletions it reads, message.deleted A2 after A1), and for B:
  //     message.created B1, B2, then conversation.status_changed resolved; each conversation in message-id order.
  //  6. Every delivered reply is `delivered` in the sandbox (sandbox.messages(id).status), also those Chatwoot had
  //     marked `failed` when the webhook failed; the mapping of B is `resolved` (GET /contacts/u-b).
  //  7. A second runOnce() → { signalled: 0, unchanged: 2 } (or signals, if marking `delivered` touched the
  //     conversations, and then the worker delivers nothing): the receiver gets nothing more.
  //  8. The webhook URL is restored and the lost webhooks arrive late (sandbox.webhookLog() entries re-posted with
  //     test/support/webhook-post.ts): the receiver gets nothing twice.
  it.todo(
    "delivers every reply, deletion and status change whose webhook was lost, in order, and marks them delivered",
  );
  it.todo("delivers nothing on a second sweep, nor when the lost webhooks arrive late");
});
