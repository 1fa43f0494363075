// The sandbox follows Chatwoot for issue 15's features: quote resolution (CONTRACT-addendum §A.2), soft delete of an
// incoming message (§A.3, CONTRACT.md §2.5), the Client API's toggle_typing and update_last_seen (CONTRACT.md §3,
// §A.4), the read status, and agent quote-replies and interactive messages through the control API and the CLI.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../dev/sandbox/cli-commands.js";
import { startSandbox, type Sandbox } from "../../dev/sandbox/server.js";
import { field, num, sandboxApi, seedConversation, type SandboxApi } from "../support/sandbox-api.js";

let sandbox: Sandbox;
let api: SandboxApi;
let identifier: string;
beforeAll(async () => {
  sandbox = await startSandbox();
  api = sandboxApi(sandbox);
  identifier = String(field((await api.get("/inboxes/1")).json, "inbox_identifier"));
});
afterAll(async () => sandbox.close());

const messagesPath = (conversationId: number) => `/conversations/${conversationId}/messages`;
const publicPath = (sourceId: string, conversationId: number, action: string) =>
  `${sandbox.url}/public/api/v1/inboxes/${identifier}/contacts/${sourceId}/conversations/${conversationId}/${action}`;
const attributesOf = (id: number) => sandbox.messages().find((m) => m.id === id)?.contentAttributes;

describe("quotes (in_reply_to, in_reply_to_external_id)", () => {
  it("resolves a source_id within the conversation and writes both keys", async () => {
    const { conversationId, messageId } = await seedConversation(api, "q-1");
    const answer = await api.post(messagesPath(conversationId), {
      content: "quoting",
      message_type: "incoming",
      content_attributes: { in_reply_to_external_id: "EXT-MSG-q-1" },
    });
    expect(field(answer.json, "content_attributes")).toEqual({
      in_reply_to: messageId,
      in_reply_to_external_id: "EXT-MSG-q-1",
    });
  });

  it("resolves a Chatwoot id; a quoted outgoing message has a null external id", async () => {
    const { conversationId } = await seedConversation(api, "q-2");
    const agent = sandbox.reply(conversationId, "agent says");
    const answer = await api.post(messagesPath(conversationId), {
      content: "quoting the agent",
      message_type: "incoming",
      content_attributes: { in_reply_to: agent.id },
    });
    expect(field(answer.json, "content_attributes")).toEqual({ in_reply_to: agent.id, in_reply_to_external_id: null });
  });

  it("drops (nulls) a quote it cannot find in this conversation, even one that exists in another", async () => {
    const other = await seedConversation(api, "q-3");
    const { conversationId } = await seedConversation(api, "q-4");
    const answer = await api.post(messagesPath(conversationId), {
      content: "quoting elsewhere",
      message_type: "incoming",
      content_attributes: { in_reply_to: other.messageId, in_reply_to_external_id: "EXT-MSG-q-3" },
    });
    expect(answer.status).toBe(200);
    expect(field(answer.json, "content_attributes")).toEqual({ in_reply_to: null, in_reply_to_external_id: null });
  });

  it("keeps external_created_at in content_attributes", async () => {
    const { conversationId } = await seedConversation(api, "q-5");
    const answer = await api.post(messagesPath(conversationId), {
      content: "sent earlier",
      message_type: "incoming",
      external_created_at: "2026-06-20T14:01:07Z",
    });
    expect(field(answer.json, "content_attributes")).toEqual({ external_created_at: "2026-06-20T14:01:07Z" });
  });
});

describe("soft delete of an incoming message", () => {
  it("keeps the message with Chatwoot's text and {deleted: true}, and fires message_updated", async () => {
    const { conversationId, messageId } = await seedConversation(api, "del-1");
    const answer = await api.call("DELETE", `${messagesPath(conversationId)}/${messageId}`);
    expect(answer.status).toBe(200);
    expect([field(answer.json, "content"), field(answer.json, "content_attributes")]).toEqual([
      "This message was deleted",
      { deleted: true },
    ]);
    const webhook = await sandbox.waitForWebhook(
      (w) => w.event === "message_updated" && (JSON.parse(w.body) as { id: number }).id === messageId,
    );
    expect(JSON.parse(webhook.body)).toMatchObject({ message_type: "incoming", content_attributes: { deleted: true } });
  });
});

describe("Client API", () => {
  it("GET /inboxes/{id} names the inbox_identifier the Client API takes", async () => {
    const answer = await fetch(`${sandbox.url}/public/api/v1/inboxes/${identifier}`);
    expect(answer.status).toBe(200);
    expect((await answer.json()) as unknown).toMatchObject({ identifier, name: "Bridge Inbox" });
  });

  it("toggle_typing fires conversation_typing_on/off with the contact as user, whose webhook_data has no type", async () => {
    const { conversationId, contactId } = await seedConversation(api, "typ-1");
    for (const status of ["on", "off"]) {
      const answer = await fetch(publicPath("ext-chat-typ-1", conversationId, "toggle_typing"), {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ typing_status: status }),
      });
      expect([answer.status, await answer.text()]).toEqual([200, ""]);
      const webhook = await sandbox.waitForWebhook((w) => w.event === `conversation_typing_${status}`);
      const payload = JSON.parse(webhook.body) as { user: Record<string, unknown>; is_private: unknown };
      expect([payload.user.id, "type" in payload.user, payload.is_private]).toEqual([contactId, false, false]);
    }
    expect(sandbox.calls()).toMatchObject({
      "POST /public/:inbox_identifier/contacts/:contact_identifier/conversations/:id/toggle_typing": 2,
    });
  });

  it("answers Rails' 404 for an unknown inbox identifier, source_id, or another contact's conversation", async () => {
    const { conversationId } = await seedConversation(api, "typ-2");
    await seedConversation(api, "typ-3");
    const post = (url: string) =>
      fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: '{"typing_status":"on"}',
      });
    for (const url of [
      publicPath("ext-chat-typ-2", conversationId, "toggle_typing").replace(identifier, "nope"),
      publicPath("unknown-source", conversationId, "toggle_typing"),
      publicPath("ext-chat-typ-3", conversationId, "toggle_typing"),
    ]) {
      const answer = await post(url);
      expect([answer.status, await answer.json()]).toEqual([404, { status: 404, error: "Not Found" }]);
    }
  });

  it("update_last_seen marks every non-incoming public message read, asynchronously, one message_updated each", async () => {
    const { conversationId, messageId } = await seedConversation(api, "seen-1");
    const one = sandbox.reply(conversationId, "one");
    const note = sandbox.note(conversationId, "internal");
    const two = sandbox.reply(conversationId, "two");
    await sandbox.webhooksIdle();
    sandbox.clearWebhookLog();
    const answer = await fetch(publicPath("ext-chat-seen-1", conversationId, "update_last_seen"), { method: "POST" });
    expect(answer.status).toBe(200);
    await sandbox.waitForMessage((m) => m.id === two.id && m.status === "read");
    await sandbox.webhooksIdle();
    const status = (id: number) => sandbox.messages(conversationId).find((m) => m.id === id)?.status;
    expect([status(messageId), status(one.id), status(note.id), status(two.id)]).toEqual([
      "sent",
      "read",
      "sent",
      "read",
    ]);
    const updated = sandbox
      .webhookLog()
      .filter((w) => w.event === "message_updated")
      .map((w) => (JSON.parse(w.body) as { id: number }).id);
    expect(updated).toEqual([one.id, two.id]);
  });
});

describe("read status", () => {
  it("PATCH status read marks an agent message read, and read never goes back to delivered", async () => {
    const { conversationId } = await seedConversation(api, "read-1");
    const reply = sandbox.reply(conversationId, "read me");
    const path = `${messagesPath(conversationId)}/${reply.id}`;
    expect(field((await api.call("PATCH", path, { status: "read" })).json, "status")).toBe("read");
    expect(field((await api.call("PATCH", path, { status: "delivered" })).json, "status")).toBe("read");
  });
});

describe("agent quote-replies and interactive messages", () => {
  it("the control API's reply with in_reply_to quotes an incoming message with its source_id, as the dashboard does", async () => {
    const { conversationId, messageId } = await seedConversation(api, "agent-q-1");
    const answer = await fetch(`${sandbox.url}/_sandbox/conversations/${conversationId}/reply`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ content: "about this", in_reply_to: messageId }),
    });
    const reply = (await answer.json()) as { id: number };
    expect(attributesOf(reply.id)).toEqual({ in_reply_to: messageId, in_reply_to_external_id: "EXT-MSG-agent-q-1" });
    const webhook = await sandbox.waitForWebhook(
      (w) => w.event === "message_created" && (JSON.parse(w.body) as { id: number }).id === reply.id,
    );
    expect(JSON.parse(webhook.body)).toMatchObject({
      content_attributes: { in_reply_to: messageId, in_reply_to_external_id: "EXT-MSG-agent-q-1" },
    });
  });

  it("the CLI sends a quote-reply (--reply-to) and an input_select with its items (select --option)", async () => {
    const { conversationId, messageId } = await seedConversation(api, "agent-q-2");
    const printed: string[] = [];
    const cli = (...argv: string[]) => runCli(argv, { baseUrl: sandbox.url, print: (line) => printed.push(line) });
    expect(await cli("reply", String(conversationId), "quoted", "--reply-to", String(messageId))).toBe(0);
    expect(await cli("select", String(conversationId), "Pick one", "--option", "Yes=yes", "--option", "No")).toBe(0);
    const [quoted, select] = sandbox.messages(conversationId).slice(-2);
    expect(quoted?.contentAttributes).toEqual({ in_reply_to: messageId, in_reply_to_external_id: "EXT-MSG-agent-q-2" });
    expect([select?.content, select?.contentType, select?.contentAttributes]).toEqual([
      "Pick one",
      "input_select",
      {
        items: [
          { title: "Yes", value: "yes" },
          { title: "No", value: "No" },
        ],
      },
    ]);
    expect(num(JSON.parse(printed.at(-1) ?? "{}"), "id")).toBe(select?.id);
  });
});
