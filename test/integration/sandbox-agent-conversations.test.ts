// The agent starts a conversation, as the dashboard does (CONTRACT-addendum §A.1): with the contact's latest
// contact_inbox source_id in the API inbox, else a fresh UUID; both webhooks carry whose contact it is.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../dev/sandbox/cli-commands.js";
import { startSandbox, type Sandbox } from "../../dev/sandbox/server.js";
import { field, sandboxApi, seedConversation, type SandboxApi } from "../support/sandbox-api.js";
import { startWebhookReceiver, type WebhookReceiver } from "../support/sandbox-receiver.js";

let sandbox: Sandbox;
let api: SandboxApi;
let receiver: WebhookReceiver;
const printed: string[] = [];
const cli = (...argv: string[]) => runCli(argv, { baseUrl: sandbox.url, print: (line) => printed.push(line) });
const lastPrinted = (): unknown => JSON.parse(printed.at(-1) ?? "null");
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  sandbox = await startSandbox({ webhookUrl: receiver.url });
  api = sandboxApi(sandbox);
});
afterAll(async () => {
  await sandbox.close();
  await receiver.close();
});

describe("an agent-started conversation", () => {
  it("reuses the contact's latest source_id and sends conversation_created and the agent's message_created", async () => {
    const { contactId, conversationId: first } = await seedConversation(api, "agent-start");
    expect(await cli("new-conversation", String(contactId), "Following", "up")).toBe(0);
    const displayId = Number(field(lastPrinted(), "displayId"));
    expect(displayId).not.toBe(first);
    const created = await receiver.waitFor((h) => h.event === "conversation_created" && h.body.id === displayId);
    const reply = await receiver.waitFor(
      (h) => h.event === "message_created" && field(h.body, "conversation", "id") === displayId,
    );
    expect(field(created.body, "contact_inbox", "source_id")).toBe("ext-chat-agent-start");
    expect([
      reply.body.content,
      reply.body.message_type,
      reply.body.source_id,
      field(reply.body, "conversation", "contact_inbox", "source_id"),
      field(reply.body, "conversation", "meta", "sender", "identifier"),
    ]).toEqual(["Following up", "outgoing", null, "ext-chat-agent-start", "ext-user-agent-start"]);
    expect(sandbox.contactInboxes().filter((record) => record.contactId === contactId)).toHaveLength(1);
  });

  it("gives a contact made in the UI a fresh UUID source_id, and keeps its identifier null unless typed in", async () => {
    expect(await cli("new-contact", "Walk", "In")).toBe(0);
    const contactId = Number(field(lastPrinted(), "id"));
    expect(field(lastPrinted(), "identifier")).toBeNull();
    expect(await cli("new-conversation", String(contactId), "Hello from support")).toBe(0);
    const displayId = Number(field(lastPrinted(), "displayId"));
    const reply = await receiver.waitFor(
      (h) => h.event === "message_created" && field(h.body, "conversation", "id") === displayId,
    );
    expect(String(field(reply.body, "conversation", "contact_inbox", "source_id"))).toMatch(UUID);
    expect(field(reply.body, "conversation", "meta", "sender", "identifier")).toBeNull();
  });

  it("refuses an unknown contact with exit code 1 and creates nothing", async () => {
    const before = sandbox.conversations().length;
    expect(await cli("new-conversation", "999999", "Hello")).toBe(1);
    expect(sandbox.conversations()).toHaveLength(before);
  });
});
