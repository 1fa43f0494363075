// postMessage after a failed Chatwoot call: an answer that stored nothing frees the message_id; a timeout or a 5xx
// leaves it `unknown`, and the retry looks the message up by its source_id before posting, so it is stored once.
import { beforeEach, describe, expect, it } from "vitest";
import { readMapping } from "../../functions/core/contacts.js";
import { contactSourceId } from "../../functions/core/identity.js";
import { postMessage } from "../../functions/core/messages.js";
import { type InboundFakes, inboundFakes, peekMessage, saveMappingAsCreated } from "../support/inbound-fakes.js";

const SOURCE_ID = contactSourceId("u-1");
const HELLO = { userId: "u-1", messageId: "m-1", content: "hello" };
let fakes: InboundFakes;

beforeEach(async () => {
  fakes = inboundFakes();
});

async function knownUser(): Promise<void> {
  const { contactId, conversationId } = fakes.chatwoot.seedContact("u-1", "open");
  const mapping = {
    userId: "u-1",
    contactId,
    sourceId: SOURCE_ID,
    conversationId,
    conversationStatus: "open" as const,
  };
  await saveMappingAsCreated(fakes.store, mapping);
}

/** The Chatwoot calls made since the last look, so each attempt's calls are asserted on their own. */
function callsSince(start: number): string[] {
  return fakes.chatwoot.calls.slice(start);
}

describe("postMessage when Chatwoot stored nothing", () => {
  it.each([
    ["rejected (422)", "rejected"],
    ["unavailable (503)", "unavailable"],
  ] as const)("frees the message_id when Chatwoot answers %s, so a corrected retry posts as new", async (_, kind) => {
    await knownUser();
    fakes.chatwoot.failNext(kind, { operation: "createMessage" });
    await expect(postMessage(fakes.deps, HELLO)).rejects.toMatchObject({ name: "ChatwootError", kind });
    expect(await peekMessage(fakes.store, "u-1", "m-1")).toBeUndefined();
    expect(fakes.chatwoot.messages).toEqual([]);

    const start = fakes.chatwoot.calls.length;
    const retry = await postMessage(fakes.deps, { ...HELLO, content: "corrected" });
    expect([retry.duplicate, callsSince(start)]).toEqual([false, ["createMessage"]]);
    expect(fakes.chatwoot.messages.map((m) => m.content)).toEqual(["corrected"]);
  });
});

describe("postMessage when the outcome is unknown", () => {
  it.each([
    ["times out", "timeout"],
    ["answers 5xx", "failed"],
  ] as const)("marks the record unknown when Chatwoot stored it and %s; the retry finds it", async (_, kind) => {
    await knownUser();
    fakes.chatwoot.failNext(kind, { operation: "createMessage", afterStore: true });
    await expect(postMessage(fakes.deps, HELLO)).rejects.toMatchObject({ name: "ChatwootError", kind });
    expect(await peekMessage(fakes.store, "u-1", "m-1")).toMatchObject({ state: "unknown" });

    const start = fakes.chatwoot.calls.length;
    const retry = await postMessage(fakes.deps, HELLO);
    expect([retry.duplicate, retry.chatwootMessageId, retry.conversationId]).toEqual([true, 3, 2]);
    expect(callsSince(start)).toEqual(["listMessages"]);
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
      await knownUser();
      fakes.chatwoot.failNext(kind, { operation: "createMessage" });
      await expect(postMessage(fakes.deps, HELLO)).rejects.toMatchObject({ kind });
      expect(await peekMessage(fakes.store, "u-1", "m-1")).toMatchObject({ state: "unknown" });

      const start = fakes.chatwoot.calls.length;
      const retry = await postMessage(fakes.deps, HELLO);
      expect([retry.duplicate, callsSince(start)]).toEqual([false, ["listMessages", "createMessage"]]);
      expect(fakes.chatwoot.messages.map((m) => m.content)).toEqual(["hello"]);
    },
  );

  it("keeps the record unknown when a recovery fails, even with an answer that would otherwise free it", async () => {
    await knownUser();
    fakes.chatwoot.failNext("timeout", { operation: "createMessage" });
    await expect(postMessage(fakes.deps, HELLO)).rejects.toMatchObject({ kind: "timeout" });
    fakes.chatwoot.failNext("rejected", { operation: "createMessage" });
    await expect(postMessage(fakes.deps, HELLO)).rejects.toMatchObject({ kind: "rejected" });
    expect(await peekMessage(fakes.store, "u-1", "m-1")).toMatchObject({ state: "unknown" });
  });

  it("recovers a new user's first message whose conversation create timed out after Chatwoot stored it", async () => {
    fakes.chatwoot.failNext("timeout", { operation: "createConversation", afterStore: true });
    await expect(postMessage(fakes.deps, HELLO)).rejects.toMatchObject({ kind: "timeout" });
    expect(await readMapping(fakes.deps, "u-1")).toEqual({
      userId: "u-1",
      contactId: 1,
      sourceId: SOURCE_ID,
      conversationUnknown: true,
    });

    const start = fakes.chatwoot.calls.length;
    const retry = await postMessage(fakes.deps, HELLO);
    expect([retry.duplicate, retry.conversationId, retry.chatwootMessageId]).toEqual([true, 2, 3]);
    expect(callsSince(start)).toEqual(["listContactConversations", "listMessages"]);
    expect([fakes.chatwoot.conversations.size, fakes.chatwoot.messages.length]).toEqual([1, 1]);
    expect(await readMapping(fakes.deps, "u-1")).toMatchObject({ conversationId: 2, conversationStatus: "open" });
  });

  it("opens the conversation on retry when a new user's conversation create failed (5xx) before storing", async () => {
    fakes.chatwoot.failNext("failed", { operation: "createConversation" });
    await expect(postMessage(fakes.deps, HELLO)).rejects.toMatchObject({ kind: "failed" });
    // A 5xx may have stored the conversation: the mapping says so, and the next creator looks before creating.
    expect(await readMapping(fakes.deps, "u-1")).toEqual({
      userId: "u-1",
      contactId: 1,
      sourceId: SOURCE_ID,
      conversationUnknown: true,
    });

    const start = fakes.chatwoot.calls.length;
    const retry = await postMessage(fakes.deps, HELLO);
    expect([retry.duplicate, retry.contactId, retry.conversationId]).toEqual([false, 1, 2]);
    expect(callsSince(start)).toEqual(["listContactConversations", "createConversation"]);
    expect(fakes.chatwoot.contacts.size).toBe(1);
  });

  it("keeps the contact it created when the conversation create is refused, so the retry does not create another", async () => {
    fakes.chatwoot.failNext("rejected", { operation: "createConversation" });
    await expect(postMessage(fakes.deps, HELLO)).rejects.toMatchObject({ kind: "rejected" });
    expect(await readMapping(fakes.deps, "u-1")).toEqual({ userId: "u-1", contactId: 1, sourceId: SOURCE_ID });
    expect(await peekMessage(fakes.store, "u-1", "m-1")).toBeUndefined();

    const start = fakes.chatwoot.calls.length;
    await postMessage(fakes.deps, HELLO);
    expect(callsSince(start)).toEqual(["createConversation"]);
  });

  it("looks up a first message the conversation answer did not name, and answers with its id", async () => {
    fakes.chatwoot.omitCarriedMessageId = true;
    const posted = await postMessage(fakes.deps, HELLO);
    expect([posted.chatwootMessageId, posted.duplicate]).toEqual([3, false]);
    expect(fakes.chatwoot.calls).toEqual(["createContact", "createConversation", "listMessages"]);
  });
});
