// ensureContact and ensureConversation against fakes: get or create, at most once, without posting any message.
import { beforeEach, describe, expect, it } from "vitest";
import { ensureContact, ensureConversation, readMapping } from "../../functions/core/contacts.js";
import { contactSourceId } from "../../functions/core/identity.js";
import { contactOnly, type InboundFakes, inboundFakes, seedKnownUser } from "../support/inbound-fakes.js";

let fakes: InboundFakes;

beforeEach(() => {
  fakes = inboundFakes();
});

describe("ensureContact", () => {
  it("creates a new user's contact only, with its profile, and maps it", async () => {
    const ensured = await ensureContact(fakes.deps, "u-1", { name: "Ada" });
    expect(ensured).toEqual({ mapping: contactOnly("u-1", 1), created: true });
    expect(fakes.chatwoot.calls).toEqual(["createContact"]);
    expect(fakes.chatwoot.contacts.get(1)).toMatchObject({ identifier: "u-1", profile: { name: "Ada" } });
    expect(await readMapping(fakes.deps, "u-1")).toEqual(contactOnly("u-1", 1));
  });

  it("updates a known user's contact with the given fields, and calls nothing without fields", async () => {
    const mapping = await seedKnownUser(fakes, "u-1");
    expect(await ensureContact(fakes.deps, "u-1", {})).toEqual({ mapping, created: false });
    expect(fakes.chatwoot.calls).toEqual([]);
    await ensureContact(fakes.deps, "u-1", { email: "ada@example.com" });
    expect(fakes.chatwoot.calls).toEqual(["updateContact"]);
    expect(fakes.chatwoot.contacts.get(1)?.profile).toEqual({ email: "ada@example.com" });
  });
});

describe("ensureConversation", () => {
  it("opens a new user's conversation without a message, then finds it on the next call", async () => {
    const first = await ensureConversation(fakes.deps, "u-1");
    const again = await ensureConversation(fakes.deps, "u-1");
    const mapping = { ...contactOnly("u-1", 1), conversationId: 2, conversationStatus: "open" };
    expect([first, again]).toEqual([
      { mapping, created: true },
      { mapping, created: false },
    ]);
    expect(fakes.chatwoot.calls).toEqual(["createContact", "createConversation"]);
    expect(fakes.chatwoot.messages).toEqual([]);
  });

  it("adopts the conversation Chatwoot already holds for an unmapped user", async () => {
    fakes.chatwoot.seedContact("u-1", "pending");
    const ensured = await ensureConversation(fakes.deps, "u-1");
    expect(ensured.created).toBe(false);
    expect(ensured.mapping).toEqual({
      userId: "u-1",
      contactId: 1,
      sourceId: contactSourceId("u-1"),
      conversationId: 2,
      conversationStatus: "pending",
    });
    expect(fakes.chatwoot.conversations.size).toBe(1);
  });
});
