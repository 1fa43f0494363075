// Two local bridges in one process, each with its own store, queue, sandbox and receiver: nothing is shared
// through a module-level global, so each message lands in its own sandbox and each reply at its own receiver.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { receiverOf, sandboxOf, startTestBridge, type TestBridge } from "../support/bridge.js";
import type { Delivered } from "../support/replies.js";

let first: TestBridge;
let second: TestBridge;
beforeAll(async () => {
  [first, second] = await Promise.all([startTestBridge(), startTestBridge()]);
});
afterAll(async () => Promise.all([first?.close(), second?.close()]));

const contents = (t: TestBridge) =>
  sandboxOf(t)
    .messages()
    .map((message) => message.content);

describe("two bridges in one process", () => {
  it("post each message to its own sandbox and deliver each reply to its own receiver", async () => {
    const [a, b] = await Promise.all([
      first.api("POST", "/messages", { user_id: "u-1", message_id: "m-1", content: "to the first" }),
      second.api("POST", "/messages", { user_id: "u-1", message_id: "m-1", content: "to the second" }),
    ]);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(contents(first)).toEqual(["to the first"]);
    expect(contents(second)).toEqual(["to the second"]);

    for (const [t, answer, text] of [
      [first, a, "reply one"],
      [second, b, "reply two"],
    ] as const) {
      const conversationId = (answer.body as { conversation_id: number }).conversation_id;
      const reply = sandboxOf(t).reply(conversationId, text);
      const delivered = await receiverOf(t).next((d) => (d.body as Delivered).data.message?.id === reply.id);
      expect((delivered.body as Delivered).data.message?.content).toBe(text);
    }
  });
});
