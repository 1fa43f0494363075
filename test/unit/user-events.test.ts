// handleUserEvent (POST /events, spec §3.7) on fakes: an edit is posted once per edit_id, also after an unknown
// outcome; read receipts mark only the agent's unread messages up to `up_to`; a delete is Chatwoot's soft delete.
import { beforeEach, describe, expect, it } from "vitest";
import { type EventsDeps, handleUserEvent } from "../../functions/core/events.js";
import type { MessageDeps } from "../../functions/core/inbound-deps.js";
import { postMessage } from "../../functions/core/messages.js";
import type { FakeChatwoot } from "../support/fake-chatwoot.js";
import { inboundFakes } from "../support/inbound-fakes.js";
import { MemoryMessageIndex } from "../support/memory-message-index.js";

/** The events route's deps, and a downloader so the test can post the messages it then edits. */
let deps: EventsDeps & MessageDeps;
let chatwoot: FakeChatwoot;
let index: MemoryMessageIndex;
let original: { chatwootMessageId: number; conversationId: number };

beforeEach(async () => {
  const fakes = inboundFakes();
  index = new MemoryMessageIndex();
  deps = { ...fakes.deps, messageIndex: index };
  chatwoot = fakes.chatwoot;
  const posted = await postMessage(deps, { userId: "u-1", messageId: "m-1", content: "helo" });
  original = { chatwootMessageId: posted.chatwootMessageId, conversationId: posted.conversationId };
});

const edit = { type: "message.updated" as const, userId: "u-1", messageId: "m-1", content: "hello", editId: "e-1" };

describe("message.updated", () => {
  it("posts one incoming message quoting the original, marked edited; the same edit_id again posts nothing", async () => {
    const first = await handleUserEvent(deps, edit);
    const calls = chatwoot.calls.length;
    const again = await handleUserEvent(deps, edit);
    expect(again).toEqual({ ...first, duplicate: true });
    expect(chatwoot.calls.length).toBe(calls);
    const edits = chatwoot.messagesIn(original.conversationId).filter((m) => m.contentAttributes?.edited === true);
    expect(edits.map((m) => [m.id, m.content, m.contentAttributes?.in_reply_to])).toEqual([
      [first.chatwootMessageId, "hello", original.chatwootMessageId],
    ]);
  });

  it("after a timeout that stored the edit, the retry finds it instead of posting it twice", async () => {
    chatwoot.failNext("timeout", { operation: "createMessage", afterStore: true });
    await expect(handleUserEvent(deps, edit)).rejects.toMatchObject({ kind: "timeout" });
    const retried = await handleUserEvent(deps, edit);
    expect(retried.duplicate).toBe(true);
    const edits = chatwoot.messagesIn(original.conversationId).filter((m) => m.contentAttributes?.edited === true);
    expect(edits.map((m) => m.id)).toEqual([retried.chatwootMessageId]);
  });

  it("answers 409 for the same edit_id with other text", async () => {
    await handleUserEvent(deps, edit);
    await expect(handleUserEvent(deps, { ...edit, content: "hullo" })).rejects.toMatchObject({
      code: "idempotency_conflict",
    });
  });
});

describe("messages.read", () => {
  it("marks the agent's unread messages up to up_to read, and nothing after it or of the user", async () => {
    const agent = (id: number, status: string) =>
      chatwoot.messages.push({
        id,
        conversationId: original.conversationId,
        sourceId: null,
        messageType: 1,
        content: "agent",
        attachmentNames: [],
        status,
      });
    agent(900, "read");
    agent(901, "delivered");
    agent(902, "delivered");
    agent(903, "delivered");
    await index.record({ conversationId: original.conversationId, chatwootMessageId: 902 });
    const outcome = await handleUserEvent(deps, { type: "messages.read", userId: "u-1", upTo: 902 });
    expect(outcome).toEqual({ type: "messages.read", conversationId: original.conversationId, marked: 2 });
    const status = (id: number) => chatwoot.messages.find((m) => m.id === id)?.status;
    expect([status(original.chatwootMessageId), status(900), status(901), status(902), status(903)]).toEqual([
      undefined,
      "read",
      "read",
      "read",
      "delivered",
    ]);
  });
});

describe("message.deleted", () => {
  it("soft-deletes the user's message in its conversation", async () => {
    const outcome = await handleUserEvent(deps, { type: "message.deleted", userId: "u-1", messageId: "m-1" });
    expect(outcome).toEqual({ type: "message.deleted", ...original });
    expect(chatwoot.messages.find((m) => m.id === original.chatwootMessageId)?.contentAttributes).toEqual({
      deleted: true,
    });
  });
});
