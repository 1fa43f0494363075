// Conversations in the sandbox follow CONTRACT.md §2.4: create's source_id rules and defaults, the
// lock_to_single_conversation setting, the finder's defaults, toggle_status and typing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type Sandbox } from "../../dev/sandbox/server.js";
import { field, items, num, sandboxApi, seedConversation, type SandboxApi } from "../support/sandbox-api.js";
import { shapeDiff } from "../support/shape-compare.js";
import { contractExample } from "../support/shape-contract.js";

let sandbox: Sandbox;
let api: SandboxApi;
beforeAll(async () => {
  sandbox = await startSandbox();
  api = sandboxApi(sandbox);
});
afterAll(async () => sandbox.close());

async function newContact(identifier: string, extra: Record<string, unknown> = {}): Promise<number> {
  return num(
    (await api.post("/contacts", { name: identifier, identifier, ...extra })).json,
    "payload",
    "contact",
    "id",
  );
}

describe("POST /conversations", () => {
  it("answers the full conversation partial shaped like CONTRACT.md's example, ids being display ids", async () => {
    const { conversationId } = await seedConversation(api, "shape");
    const answer = await api.get(`/conversations/${conversationId}`);
    const example = contractExample("**Response 200:** the full conversation partial");
    // The example abbreviates last_non_activity_message as "same push shape as messages[0]".
    const expected = { ...example, last_non_activity_message: field(example, "messages", 0) };
    expect(shapeDiff(expected, answer.json)).toEqual([]);
    expect(conversationId).toBe(
      sandbox.conversations().find((c) => c.contactId === num(answer.json, "meta", "sender", "id"))?.displayId,
    );
    expect(sandbox.conversations().every((c) => c.id !== c.displayId)).toBe(true);
  });

  it("posts the first message as outgoing, from the token's user, unless message_type says incoming", async () => {
    const contactId = await newContact("default-out");
    const answer = await api.post("/conversations", {
      inbox_id: 1,
      contact_id: contactId,
      source_id: "default-out",
      message: { content: "hi" },
    });
    expect(field(answer.json, "messages", 0, "message_type")).toBe(1);
    expect(field(answer.json, "messages", 0, "sender", "type")).toBe("user");
    expect(field(answer.json, "messages", 0, "sender_id")).toBe(1);
  });

  it("creates a new contact_inbox on every call without source_id, and reuses the one named by source_id", async () => {
    const contactId = await newContact("no-source");
    await api.post("/conversations", { inbox_id: 1, contact_id: contactId });
    await api.post("/conversations", { inbox_id: 1, contact_id: contactId });
    await api.post("/conversations", { inbox_id: 1, contact_id: contactId, source_id: "stable" });
    await api.post("/conversations", { inbox_id: 1, contact_id: contactId, source_id: "stable" });
    expect(sandbox.contactInboxes().filter((ci) => ci.contactId === contactId)).toHaveLength(3);
  });

  it("refuses another contact's source_id with 422 {error: source_id should be unique}", async () => {
    const owner = await newContact("src-owner");
    const other = await newContact("src-other");
    await api.post("/conversations", { inbox_id: 1, contact_id: owner, source_id: "owned" });
    const count = sandbox.conversations().length;
    const answer = await api.post("/conversations", { inbox_id: 1, contact_id: other, source_id: "owned" });
    expect([answer.status, answer.json]).toEqual([422, { error: "source_id should be unique" }]);
    expect(sandbox.conversations().length).toBe(count);
  });

  it("looks a bare source_id up across every inbox, and answers 404 when nothing has it", async () => {
    const contactId = await newContact("bare-source");
    await api.post("/conversations", { inbox_id: 1, contact_id: contactId, source_id: "bare-chat" });
    const found = await api.post("/conversations", { source_id: "bare-chat" });
    expect(num(found.json, "meta", "sender", "id")).toBe(contactId);
    const missing = await api.post("/conversations", { source_id: "nobody-has-this" });
    expect([missing.status, missing.json]).toEqual([404, { error: "Resource could not be found" }]);
  });

  it("answers an invalid status with Rails' 500, and starts a blocked contact's conversation resolved", async () => {
    const contactId = await newContact("status-x");
    const bad = await api.post("/conversations", {
      inbox_id: 1,
      contact_id: contactId,
      source_id: "status-x",
      status: "closed",
    });
    expect([bad.status, bad.json]).toEqual([500, { status: 500, error: "Internal Server Error" }]);
    const blocked = await newContact("blocked-1", { blocked: true });
    const answer = await api.post("/conversations", {
      inbox_id: 1,
      contact_id: blocked,
      source_id: "blocked-1",
      status: "open",
    });
    expect(field(answer.json, "status")).toBe("resolved");
  });

  it("returns the contact_inbox's last conversation, even resolved, when the inbox locks to one conversation", async () => {
    const { contactId, conversationId } = await seedConversation(api, "locked");
    sandbox.resolve(conversationId);
    sandbox.setLockToSingleConversation(true);
    try {
      await sandbox.webhooksIdle();
      const createdBefore = sandbox.webhookLog().filter((entry) => entry.event === "conversation_created").length;
      const answer = await api.post("/conversations", {
        inbox_id: 1,
        contact_id: contactId,
        source_id: "ext-chat-locked",
        message: { content: "again", message_type: "incoming" },
      });
      expect([num(answer.json, "id"), field(answer.json, "status")]).toEqual([conversationId, "open"]);
      await sandbox.webhooksIdle();
      expect(sandbox.webhookLog().filter((entry) => entry.event === "conversation_created").length).toBe(createdBefore);
    } finally {
      sandbox.setLockToSingleConversation(false);
    }
  });
});

describe("GET /conversations", () => {
  it("wraps the list in data, lists only open ones by default, and all of them with status=all", async () => {
    const { conversationId } = await seedConversation(api, "list-open");
    const { conversationId: resolved } = await seedConversation(api, "list-resolved");
    sandbox.resolve(resolved);
    const open = await api.get("/conversations?inbox_id=1");
    const openIds = items(open.json, "data", "payload").map((c) => c.id);
    expect(openIds).toContain(conversationId);
    expect(openIds).not.toContain(resolved);
    expect(Object.keys(field(open.json, "data", "meta") as object)).toEqual([
      "mine_count",
      "assigned_count",
      "unassigned_count",
      "all_count",
    ]);
    const bySource = await api.get("/conversations?status=all&source_id=ext-chat-list-resolved");
    expect(items(bySource.json, "data", "payload").map((c) => [c.id, c.status])).toEqual([[resolved, "resolved"]]);
  });

  it("pages 25 at a time", async () => {
    const contactId = await newContact("pager");
    for (let i = 0; i < 26; i += 1)
      await api.post("/conversations", { inbox_id: 1, contact_id: contactId, source_id: "pager" });
    const all = await api.get("/conversations?status=all");
    const total = num(all.json, "data", "meta", "all_count");
    expect(total).toBeGreaterThan(25);
    expect(items(all.json, "data", "payload")).toHaveLength(25);
    expect(items((await api.get("/conversations?status=all&page=2")).json, "data", "payload")).toHaveLength(
      Math.min(25, total - 25),
    );
  });
});

describe("status and typing", () => {
  it("answers toggle_status with {meta:{}, payload:{success, conversation_id, current_status, snoozed_until}}", async () => {
    const { conversationId } = await seedConversation(api, "toggle");
    const resolved = await api.post(`/conversations/${conversationId}/toggle_status`, { status: "resolved" });
    expect(resolved.json).toEqual({
      meta: {},
      payload: { success: true, conversation_id: conversationId, current_status: "resolved", snoozed_until: null },
    });
    const toggled = await api.post(`/conversations/${conversationId}/toggle_status`);
    expect(field(toggled.json, "payload", "current_status")).toBe("open");
    const snoozed = await api.post(`/conversations/${conversationId}/toggle_status`, {
      status: "snoozed",
      snoozed_until: 1900000000,
    });
    expect(field(snoozed.json, "payload", "snoozed_until")).toBe("2030-03-17T17:46:40.000Z");
    expect(
      field((await api.post(`/conversations/${conversationId}/toggle_status`)).json, "payload", "current_status"),
    ).toBe("open");
    const bad = await api.post(`/conversations/${conversationId}/toggle_status`, { status: "archived" });
    expect([bad.status, bad.json]).toEqual([500, { status: 500, error: "Internal Server Error" }]);
    expect((await api.post("/conversations/99999/toggle_status", { status: "open" })).status).toBe(404);
  });

  it("assigns the conversation to an agent-role caller who reopens it, but not to an administrator", async () => {
    const { conversationId } = await seedConversation(api, "steal");
    await api.post(`/conversations/${conversationId}/toggle_status`, { status: "resolved" });
    await api.post(`/conversations/${conversationId}/toggle_status`, { status: "open" });
    expect(field((await api.get(`/conversations/${conversationId}`)).json, "meta", "assignee")).toBeUndefined();
    await api.post(`/conversations/${conversationId}/toggle_status`, { status: "resolved" });
    await api.post(
      `/conversations/${conversationId}/toggle_status`,
      { status: "open" },
      { token: sandbox.agentApiToken },
    );
    expect(field((await api.get(`/conversations/${conversationId}`)).json, "meta", "assignee", "id")).toBe(2);
  });

  it("answers toggle_typing_status with an empty 200", async () => {
    const { conversationId } = await seedConversation(api, "typing-empty");
    const answer = await api.post(`/conversations/${conversationId}/toggle_typing_status`, { typing_status: "on" });
    expect([answer.status, answer.text]).toEqual([200, ""]);
  });
});
