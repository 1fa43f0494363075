// postMessage after a failed Chatwoot call: an answer that stored nothing frees the message_id; a timeout or a 5xx
// leaves it `unknown`, and the retry looks the message up by its source_id before posting, so it is stored once.
import { beforeEach, describe, expect, it } from "vitest";
import { readMapping } from "../../functions/core/contacts.js";
import { postMessage } from "../../functions/core/messages.js";
import {
  contactOnly,
  type InboundFakes,
  inboundFakes,
  peekMessage,
  postCounted,
  seedKnownUser,
} from "../support/inbound-fakes.js";

const HELLO = { userId: "u-1", messageId: "m-1", content: "hello" };
let fakes: InboundFakes;

beforeEach(() => {
  fakes = inboundFakes();
});

describe("postMessage when Chatwoot stored nothing", () => {
  it.each([
    ["rejected (422)", "rejected"],
    ["unavailable (503)", "unavailable"],
  ] as const)("frees the message_id when Chatwoot answers %s, so a corrected retry posts as new", async (_, kind) => {
    await seedKnownUser(fakes, "u-1");
    fakes.chatwoot.failNext(kind, { operation: "createMessage" });
    await expect(postMessage(fakes.deps, HELLO)).rejects.toMatchObject({ name: "ChatwootError", kind });
    expect(await peekMessage(fakes.store, "u-1", "m-1")).toBeUndefined();
    expect(fakes.chatwoot.messages).toEqual([]);

    const { posted: retry, calls } = await postCounted(fakes, { ...HELLO, content: "corrected" });
    expect([retry.duplicate, calls]).toEqual([false, ["createMessage"]]);
    expect(fakes.chatwoot.messages.map((m) => m.content)).toEqual(["corrected"]);
  });
});

describe("postMessage when the outcome is unknown", () => {
  it.each([
    ["times out", "timeout"],
    ["answers 5xx", "failed"],
  ] as const)("marks the record unknown when Chatwoot stored it and %s; the retry finds it", async (_, kind) => {
    await seedKnownUser(fakes, "u-1");
    fakes.chatwoot.failNext(kind, { operation: "createMessage", afterStore: true });
    await expect(postMessage(fakes.deps, HELLO)).rejects.toMatchObject({ name: "ChatwootError", kind });
    expect(await peekMessage(fakes.store, "u-1", "m-1")).toMatchObject({ state: "unknown" });

    const { posted: retry, calls } = await postCounted(fakes, HELLO);
    expect([retry.duplicate, retry.chatwootMessageId, retry.conversationId]).toEqual([true, 3, 2]);
    expect(calls).toEqual(["listMessages"]);
    expect(fakes.chatwoot.messages).toHaveLength(1);
    expect(await peekMessage(fakes.store, "u-1", "m-1")).toMatchObject({
      state: "done",
      result: { chatwootMessageId: 3 },
    });
  });

  it.each([
    ["timed out", "timeout"],
    ["answered 5xx", "failed"],
  ] as const)(
    "posts on retry when the attempt that %s never stored it: looked up, then posted once",
    async (_, kind) => {
      await seedKnownUser(fakes, "u-1");
      fakes.chatwoot.failNext(kind, { operation: "createMessage" });
      await expect(postMessage(fakes.deps, HELLO)).rejects.toMatchObject({ kind });
      expect(await peekMessage(fakes.store, "u-1", "m-1")).toMatchObject({ state: "unknown" });

      const { posted: retry, calls } = await postCounted(fakes, HELLO);
      expect([retry.duplicate, calls]).toEqual([false, ["listMessages", "createMessage"]]);
      expect(fakes.chatwoot.messages.map((m) => m.content)).toEqual(["hello"]);
    },
  );

  it("keeps the record unknown when a recovery fails, even with an answer that would otherwise free it", async () => {
    await seedKnownUser(fakes, "u-1");
    fakes.chatwoot.failNext("timeout", { operation: "createMessage" });
    await expect(postMessage(fakes.deps, HELLO)).rejects.toMatchObject({ kind: "timeout" });
    fakes.chatwoot.failNext("rejected", { operation: "createMessage" });
    await expect(postMessage(fakes.deps, HELLO)).rejects.toMatchObject({ kind: "rejected" });
    expect(await peekMessage(fakes.store, "u-1", "m-1")).toMatchObject({ state: "unknown" });
  });

  it("recovers a new user's first message whose conversation create timed out after Chatwoot stored it", async () => {
    fakes.chatwoot.failNext("timeout", { operation: "createConversation", afterStore: true });
    await expect(postMessage(fakes.deps, HELLO)).rejects.toMatchObject({ kind: "timeout" });
    expect(await readMapping(fakes.deps, "u-1")).toEqual(contactOnly("u-1", 1, { conversationUnknown: true }));

    const { posted: retry, calls } = await postCounted(fakes, HELLO);
    expect([retry.duplicate, retry.conversationId, retry.chatwootMessageId]).toEqual([true, 2, 3]);
    expect(calls).toEqual(["listContactConversations", "listMessages"]);
    expect([fakes.chatwoot.conversations.size, fakes.chatwoot.messages.length]).toEqual([1, 1]);
    expect(await readMapping(fakes.deps, "u-1")).toMatchObject({ conversationId: 2, conversationStatus: "open" });
  });

  it("never adopts another thread's conversation when the default thread's create had an unknown outcome", async () => {
    const order = await postMessage(fakes.deps, {
      userId: "u-1",
      threadId: "order-5521",
      messageId: "t-1",
      content: "a",
    });
    fakes.chatwoot.failNext("failed", { operation: "createConversation" });
    await expect(postMessage(fakes.deps, HELLO)).rejects.toMatchObject({ kind: "failed" });

    // The thread's conversation is the contact's newest, but it is mapped: the retry opens the default thread's own.
    const { posted: retry, calls } = await postCounted(fakes, HELLO);
    expect(calls).toEqual(["listContactConversations", "createConversation"]);
    expect(retry.conversationId).not.toBe(order.conversationId);
    expect(await fakes.store.findUserByConversation(order.conversationId)).toEqual({
      userId: "u-1",
      threadId: "order-5521",
    });
  });

  it("opens the conversation on retry when a new user's conversation create failed (5xx) before storing", async () => {
    fakes.chatwoot.failNext("failed", { operation: "createConversation" });
    await expect(postMessage(fakes.deps, HELLO)).rejects.toMatchObject({ kind: "failed" });
    // A 5xx may have stored the conversation: the mapping says so, and the next creator looks before creating.
    expect(await readMapping(fakes.deps, "u-1")).toEqual(contactOnly("u-1", 1, { conversationUnknown: true }));

    const { posted: retry, calls } = await postCounted(fakes, HELLO);
    expect([retry.duplicate, retry.contactId, retry.conversationId]).toEqual([false, 1, 2]);
    expect(calls).toEqual(["listContactConversations", "createConversation"]);
    expect(fakes.chatwoot.contacts.size).toBe(1);
  });

  it("keeps the contact it created when the conversation create is refused, so the retry does not create another", async () => {
    fakes.chatwoot.failNext("rejected", { operation: "createConversation" });
    await expect(postMessage(fakes.deps, HELLO)).rejects.toMatchObject({ kind: "rejected" });
    expect(await readMapping(fakes.deps, "u-1")).toEqual(contactOnly("u-1", 1));
    expect(await peekMessage(fakes.store, "u-1", "m-1")).toBeUndefined();

    const { calls } = await postCounted(fakes, HELLO);
    expect(calls).toEqual(["createConversation"]);
  });

  it("looks up a first message the conversation answer did not name, and answers with its id", async () => {
    fakes.chatwoot.omitCarriedMessageId = true;
    const posted = await postMessage(fakes.deps, HELLO);
    expect([posted.chatwootMessageId, posted.duplicate]).toEqual([3, false]);
    expect(fakes.chatwoot.calls).toEqual(["createContact", "createConversation", "listMessages"]);
  });
});
