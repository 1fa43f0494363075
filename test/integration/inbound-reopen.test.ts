// CONVERSATION_AFTER_RESOLVED=reopen: the next message goes to the resolved conversation, which Chatwoot reopens.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestBridge, type TestBridge } from "../support/bridge.js";
import { openConversation, type Delivered } from "../support/replies.js";

let t: TestBridge;
beforeAll(async () => {
  t = await startTestBridge({ CONVERSATION_AFTER_RESOLVED: "reopen" });
});
afterAll(async () => t.close());

describe("CONVERSATION_AFTER_RESOLVED=reopen", () => {
  it("posts into the resolved conversation, Chatwoot reopens it, and the mapping follows the status", async () => {
    const sandbox = t.bridge.sandbox;
    const receiver = t.bridge.receiver;
    if (!sandbox || !receiver) throw new Error("sandbox and receiver expected");
    const conversationId = await openConversation(t, "reopener");
    sandbox.resolve(conversationId);
    await receiver.next((d) => (d.body as Delivered).data.status === "resolved");
    expect((await t.api("GET", "/contacts/reopener")).body).toMatchObject({ status: "resolved" });

    sandbox.resetCalls();
    const answer = await t.api("POST", "/messages", {
      user_id: "reopener",
      message_id: "again",
      content: "it broke again",
    });
    expect(answer.status).toBe(201);
    expect((answer.body as { conversation_id: number }).conversation_id).toBe(conversationId);
    // The bridge's own calls for the message; the worker reading the conversation (the reopen's webhook) aside.
    const inbound = Object.entries(sandbox.calls()).filter(([route]) => route !== "GET /conversations/:id/messages");
    expect(Object.fromEntries(inbound)).toEqual({ "POST /conversations/:id/messages": 1 });
    expect(sandbox.conversations().find((c) => c.displayId === conversationId)?.status).toBe("open");
    await receiver.next((d) => (d.body as Delivered).data.status === "open");
    expect((await t.api("GET", "/contacts/reopener")).body).toMatchObject({
      conversation_id: conversationId,
      status: "open",
    });
  });
});
