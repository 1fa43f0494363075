// postMessage against fakes: a fresh message costs 2 Chatwoot calls for a new user and 1 for a known one, a replay
// answers the stored result, a reused message_id is refused, and racing requests share one contact and conversation.
import { beforeEach, describe, expect, it } from "vitest";
import { readMapping } from "../../functions/core/contacts.js";
import { BridgeError } from "../../functions/core/errors.js";
import { contactSourceId, fingerprint, messageSourceId } from "../../functions/core/identity.js";
import { postMessage } from "../../functions/core/messages.js";
import { type InboundFakes, inboundFakes, peekMessage, seedKnownUser } from "../support/inbound-fakes.js";

const SOURCE_ID = contactSourceId("u-1");
let fakes: InboundFakes;

beforeEach(() => {
  fakes = inboundFakes();
});

describe("postMessage, fresh", () => {
  it("creates a new user's contact, then the conversation carrying the message: 2 calls, mapping and record saved", async () => {
    const posted = await postMessage(fakes.deps, { userId: "u-1", messageId: "m-1", content: "hello" });
    const result = { messageId: "m-1", chatwootMessageId: 3, conversationId: 2, contactId: 1, sourceId: SOURCE_ID };
    expect(posted).toEqual({ ...result, duplicate: false });
    expect(fakes.storeCalls).toEqual([
      "getUser",
      "beginMessage",
      "acquireUserLease",
      "getUser",
      "saveMapping",
      "completeMessage",
    ]);
    expect(fakes.chatwoot.calls).toEqual(["createContact", "createConversation"]);
    expect(fakes.chatwoot.messagesIn(2).map((m) => [m.id, m.sourceId, m.content])).toEqual([
      [3, messageSourceId("u-1", "m-1"), "hello"],
    ]);
    expect(await readMapping(fakes.deps, "u-1")).toEqual({
      userId: "u-1",
      contactId: 1,
      sourceId: SOURCE_ID,
      conversationId: 2,
      conversationStatus: "open",
    });
    const record = await peekMessage(fakes.store, "u-1", "m-1");
    expect([record?.state, record?.result, record?.leaseOwner]).toEqual(["done", result, undefined]);
  });

  it("posts a known user's message with one call into the mapped conversation", async () => {
    await seedKnownUser(fakes, "u-1");
    const posted = await postMessage(fakes.deps, { userId: "u-1", messageId: "m-1", content: "hi" });
    expect(posted).toEqual({
      messageId: "m-1",
      chatwootMessageId: 3,
      conversationId: 2,
      contactId: 1,
      sourceId: SOURCE_ID,
      duplicate: false,
    });
    expect(fakes.chatwoot.calls).toEqual(["createMessage"]);
    // The mapping is read alongside the claim, once: three DynamoDB requests in all, and no lease.
    expect(fakes.storeCalls).toEqual(["getUser", "beginMessage", "completeMessage"]);
  });

  it("adopts the contact and open conversation Chatwoot already holds for an unmapped user instead of creating", async () => {
    fakes.chatwoot.seedContact("u-1", "open");
    const posted = await postMessage(fakes.deps, { userId: "u-1", messageId: "m-1", content: "hi" });
    expect([posted.contactId, posted.conversationId, posted.duplicate]).toEqual([1, 2, false]);
    expect(fakes.chatwoot.calls).toEqual([
      "createContact",
      "findContactByIdentifier",
      "ensureContactInbox",
      "listContactConversations",
      "createMessage",
    ]);
    expect(fakes.chatwoot.contacts.get(1)?.sourceIds).toEqual([SOURCE_ID]);
  });

  it("posts a message without message_id every time: not idempotent, no record, message_id null", async () => {
    await seedKnownUser(fakes, "u-1");
    const first = await postMessage(fakes.deps, { userId: "u-1", content: "same" });
    const second = await postMessage(fakes.deps, { userId: "u-1", content: "same" });
    expect([first.messageId, first.duplicate, second.messageId, second.duplicate]).toEqual([null, false, null, false]);
    expect(fakes.chatwoot.messagesIn(2).map((m) => m.id)).toEqual([first.chatwootMessageId, second.chatwootMessageId]);
    expect(first.chatwootMessageId).not.toBe(second.chatwootMessageId);
    // The first request's generated id was id-1: no idempotency record was written under it.
    expect(await peekMessage(fakes.store, "u-1", "auto-id-1")).toBeUndefined();
  });
});

describe("postMessage, replays and conflicts", () => {
  it("answers a replay with the stored result and duplicate: true, without calling Chatwoot", async () => {
    await seedKnownUser(fakes, "u-1");
    const first = await postMessage(fakes.deps, { userId: "u-1", messageId: "m-1", content: "hi" });
    const replay = await postMessage(fakes.deps, { userId: "u-1", messageId: "m-1", content: "hi" });
    expect(replay).toEqual({ ...first, duplicate: true });
    expect(fakes.chatwoot.calls).toEqual(["createMessage"]);
  });

  it("refuses a message_id reused for other content (409) and changes nothing", async () => {
    await seedKnownUser(fakes, "u-1");
    await postMessage(fakes.deps, { userId: "u-1", messageId: "m-1", content: "hi" });
    const before = await peekMessage(fakes.store, "u-1", "m-1");
    const reuse = postMessage(fakes.deps, { userId: "u-1", messageId: "m-1", content: "something else" });
    await expect(reuse).rejects.toMatchObject({ name: "BridgeError", code: "idempotency_conflict" });
    expect(fakes.chatwoot.calls).toEqual(["createMessage"]);
    expect(await peekMessage(fakes.store, "u-1", "m-1")).toEqual(before);
  });

  it("answers 503 with Retry-After while another request still holds the same message, and touches nothing", async () => {
    await seedKnownUser(fakes, "u-1");
    const now = fakes.deps.clock.now();
    const held = { userId: "u-1", messageId: "m-1", state: "pending" as const, leaseOwner: "other" };
    const sameMessage = fingerprint({ content: "hi", attachments: [] });
    await fakes.store.beginMessage({ ...held, fingerprint: sameMessage, leaseUntil: now + 60_000, expiresAt: 0 });
    const error = await postMessage(fakes.deps, { userId: "u-1", messageId: "m-1", content: "hi" }).catch((e) => e);
    expect(error).toBeInstanceOf(BridgeError);
    expect([error.code, error.retryAfterSeconds]).toEqual(["in_progress", 2]);
    expect(fakes.chatwoot.calls).toEqual([]);
    expect(await peekMessage(fakes.store, "u-1", "m-1")).toMatchObject(held);
  });

  it("lets two racing requests with one message_id post it once: the second waits and answers duplicate", async () => {
    await seedKnownUser(fakes, "u-1");
    const input = { userId: "u-1", messageId: "m-1", content: "hi" };
    const [a, b] = await Promise.all([postMessage(fakes.deps, input), postMessage(fakes.deps, input)]);
    expect([a.duplicate, b.duplicate].sort()).toEqual([false, true]);
    expect(a.chatwootMessageId).toBe(b.chatwootMessageId);
    expect(fakes.chatwoot.calls).toEqual(["createMessage"]);
  });
});

describe("postMessage, concurrency and conversation policy", () => {
  it("gives five racing first messages of a new user one contact, one conversation and five messages", async () => {
    const ids = ["m-1", "m-2", "m-3", "m-4", "m-5"];
    const posted = await Promise.all(ids.map((id) => postMessage(fakes.deps, { userId: "u-1", messageId: id })));
    expect(new Set(posted.map((p) => `${p.contactId}/${p.conversationId}`))).toEqual(new Set(["1/2"]));
    expect(fakes.chatwoot.calls.filter((c) => c !== "createMessage")).toEqual(["createContact", "createConversation"]);
    expect(fakes.chatwoot.calls.filter((c) => c === "createMessage")).toHaveLength(4);
    expect(
      fakes.chatwoot
        .messagesIn(2)
        .map((m) => m.sourceId)
        .sort(),
    ).toEqual(ids.map((id) => messageSourceId("u-1", id)).sort());
  });

  it("opens a new conversation carrying the message once the current one is resolved (policy new)", async () => {
    await seedKnownUser(fakes, "u-1", "resolved");
    const posted = await postMessage(fakes.deps, { userId: "u-1", messageId: "m-1", content: "back again" });
    expect([posted.conversationId, posted.chatwootMessageId]).toEqual([3, 4]);
    expect(fakes.chatwoot.calls).toEqual(["createConversation"]);
    expect(await readMapping(fakes.deps, "u-1")).toMatchObject({ conversationId: 3, conversationStatus: "open" });
  });

  it("posts into the resolved conversation under policy reopen, and Chatwoot reopens it", async () => {
    fakes = inboundFakes({ conversationAfterResolved: "reopen" });
    await seedKnownUser(fakes, "u-1", "resolved");
    const posted = await postMessage(fakes.deps, { userId: "u-1", messageId: "m-1", content: "back again" });
    expect([posted.conversationId, posted.chatwootMessageId]).toEqual([2, 3]);
    expect(fakes.chatwoot.calls).toEqual(["createMessage"]);
    expect(fakes.chatwoot.conversations.get(2)?.status).toBe("open");
  });
});
