// postMessage heals what Chatwoot lost: a conversation deleted there is replaced once, a deleted contact is created
// again, and the mapping follows, all in the same request.
import { beforeEach, describe, expect, it } from "vitest";
import { readMapping } from "../../functions/core/contacts.js";
import { contactSourceId, messageSourceId } from "../../functions/core/identity.js";
import { postMessage } from "../../functions/core/messages.js";
import {
  contactOnly,
  type InboundFakes,
  inboundFakes,
  peekMessage,
  postCounted,
  seedKnownUser,
} from "../support/inbound-fakes.js";

const SOURCE_ID = contactSourceId("u-1");
const HELLO = { userId: "u-1", messageId: "m-1", content: "hello" };
let fakes: InboundFakes;

/** u-1 mapped to contact 1 and its open conversation 2. */
beforeEach(async () => {
  fakes = inboundFakes();
  await seedKnownUser(fakes, "u-1");
});

describe("postMessage when Chatwoot lost the mapped conversation or contact", () => {
  it("replaces a conversation Chatwoot answers 404 for with a new one carrying the message", async () => {
    fakes.chatwoot.deleteConversation(2);
    const posted = await postMessage(fakes.deps, HELLO);
    expect(posted).toEqual({
      messageId: "m-1",
      chatwootMessageId: 4,
      conversationId: 3,
      contactId: 1,
      sourceId: SOURCE_ID,
      duplicate: false,
    });
    expect(fakes.chatwoot.calls).toEqual(["createMessage", "createConversation"]);
    expect(fakes.chatwoot.messagesIn(3).map((m) => m.sourceId)).toEqual([messageSourceId("u-1", "m-1")]);
    expect(await readMapping(fakes.deps, "u-1")).toMatchObject({ contactId: 1, conversationId: 3 });
    expect(await peekMessage(fakes.store, "u-1", "m-1")).toMatchObject({
      state: "done",
      result: { conversationId: 3 },
    });
  });

  it("creates a deleted contact again (e.g. after an erasure request) and opens its conversation", async () => {
    fakes.chatwoot.deleteContact(1);
    const posted = await postMessage(fakes.deps, HELLO);
    expect([posted.contactId, posted.conversationId, posted.chatwootMessageId]).toEqual([3, 4, 5]);
    expect(fakes.chatwoot.calls).toEqual([
      "createMessage",
      "createConversation",
      "createContact",
      "createConversation",
    ]);
    expect(await readMapping(fakes.deps, "u-1")).toEqual({
      userId: "u-1",
      contactId: 3,
      sourceId: SOURCE_ID,
      conversationId: 4,
      conversationStatus: "open",
    });
  });

  it("recovers into a new conversation when the mapped one vanished after an unknown outcome", async () => {
    fakes.chatwoot.failNext("timeout", { operation: "createMessage" });
    await expect(postMessage(fakes.deps, HELLO)).rejects.toMatchObject({ kind: "timeout" });
    fakes.chatwoot.deleteConversation(2);

    const { posted: retry, calls } = await postCounted(fakes, HELLO);
    expect([retry.duplicate, retry.conversationId]).toEqual([false, 3]);
    expect(calls).toEqual(["listMessages", "createConversation"]);
    expect(fakes.chatwoot.messages.map((m) => m.conversationId)).toEqual([3]);
  });

  it("keeps the re-created contact when the conversation create after it timed out, so the retry can recover", async () => {
    fakes.chatwoot.deleteContact(1);
    // The first knob meets the deleted contact, whose 404 still comes first; the second times out after the heal.
    fakes.chatwoot.failNext("timeout", { operation: "createConversation", afterStore: true });
    fakes.chatwoot.failNext("timeout", { operation: "createConversation", afterStore: true });
    await expect(postMessage(fakes.deps, HELLO)).rejects.toMatchObject({ kind: "timeout" });
    expect(await readMapping(fakes.deps, "u-1")).toEqual(contactOnly("u-1", 3, { conversationUnknown: true }));

    const { posted: retry, calls } = await postCounted(fakes, HELLO);
    expect([retry.duplicate, retry.contactId, retry.conversationId]).toEqual([true, 3, 4]);
    expect(calls).toEqual(["listContactConversations", "listMessages"]);
  });
});
