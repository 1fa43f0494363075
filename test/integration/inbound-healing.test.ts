// Self-healing and CONVERSATION_AFTER_RESOLVED=new: a lost mapping is rebuilt from Chatwoot, a vanished
// conversation is replaced, a resolved one is followed by a new one (issue #4 §5, §6).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestBridge, type TestBridge, sandboxOf } from "../support/bridge.js";
import { chatwootReader } from "../support/chatwoot-reader.js";
import { openConversation, type Delivered } from "../support/replies.js";

let t: TestBridge;
let cw: ReturnType<typeof chatwootReader>;
beforeAll(async () => {
  t = await startTestBridge();
  if (!t.bridge.sandbox) throw new Error("sandbox expected");
  cw = chatwootReader(t.bridge.sandbox);
});
afterAll(async () => t.close());

const sandbox = () => sandboxOf(t);

describe("self-healing", () => {
  it("adopts the contact, contact_inbox and latest conversation Chatwoot already has for an unmapped user", async () => {
    const created = (await cw.call("POST", "/contacts", {
      identifier: "legacy-7",
      name: "Grace",
      inbox_id: sandbox().inboxId,
      source_id: "legacy-session",
    })) as { payload: { contact: { id: number } } };
    const contactId = created.payload.contact.id;
    const existing = (await cw.call("POST", "/conversations", {
      inbox_id: sandbox().inboxId,
      contact_id: contactId,
      source_id: "legacy-session",
    })) as { id: number };
    sandbox().resetCalls();

    const answer = await t.api("POST", "/messages", { user_id: "legacy-7", message_id: "m-1", content: "I'm back" });
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({ contact_id: contactId, conversation_id: existing.id });
    expect(sandbox().calls()).toEqual({
      "POST /contacts": 1,
      "POST /contacts/filter": 1,
      "POST /contacts/:id/contact_inboxes": 1,
      "GET /contacts/:id/conversations": 1,
      "POST /conversations/:id/messages": 1,
    });
    expect(await cw.contactsWithIdentifier("legacy-7")).toHaveLength(1);
    expect((await cw.contactInboxesOf(contactId)).map((ci) => ci.source_id).sort()).toEqual(
      ["legacy-session", (answer.body as { source_id: string }).source_id].sort(),
    );
    expect((await cw.messagesOf(existing.id)).map((m) => m.content)).toEqual(["I'm back"]);

    sandbox().resetCalls();
    expect(
      (await t.api("POST", "/messages", { user_id: "legacy-7", message_id: "m-2", content: "hello?" })).status,
    ).toBe(201);
    expect(sandbox().calls()).toEqual({ "POST /conversations/:id/messages": 1 });
  });

  it("replaces a mapped conversation Chatwoot answers 404 for, and updates the mapping", async () => {
    const old = await openConversation(t, "vanished");
    sandbox().addFault({ route: "POST /conversations/:id/messages", kind: "error", status: 404, times: 1 });
    sandbox().resetCalls();
    const answer = await t.api("POST", "/messages", {
      user_id: "vanished",
      message_id: "m-2",
      content: "still there?",
    });
    expect(answer.status).toBe(201);
    const replacement = (answer.body as { conversation_id: number }).conversation_id;
    expect(replacement).not.toBe(old);
    expect(sandbox().calls()).toEqual({ "POST /conversations/:id/messages": 1, "POST /conversations": 1 });
    expect((await cw.messagesOf(replacement)).map((m) => m.content)).toEqual(["still there?"]);
    expect((await t.api("GET", "/contacts/vanished")).body).toMatchObject({
      conversation_id: replacement,
      status: "open",
    });
  });
});

describe("CONVERSATION_AFTER_RESOLVED=new (the default)", () => {
  it("opens a new conversation for the next message once an agent resolved the current one", async () => {
    const first = await openConversation(t, "resolved-new");
    sandbox().resolve(first);
    await t.bridge.receiver?.next(
      (d) =>
        (d.body as Delivered).type === "conversation.status_changed" &&
        (d.body as Delivered).data.conversation_id === first,
    );
    sandbox().resetCalls();
    const answer = await t.api("POST", "/messages", {
      user_id: "resolved-new",
      message_id: "next",
      content: "one more thing",
    });
    expect(answer.status).toBe(201);
    const second = (answer.body as { conversation_id: number }).conversation_id;
    expect(second).not.toBe(first);
    expect(sandbox().calls()).toEqual({ "POST /conversations": 1 });
    expect(
      sandbox()
        .conversations()
        .find((c) => c.displayId === first)?.status,
    ).toBe("resolved");
    expect((await t.api("POST", "/conversations", { user_id: "resolved-new" })).body).toMatchObject({
      conversation_id: second,
      created: false,
    });
  });
});
