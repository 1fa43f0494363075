// Every shared webhook example reproduced field for field by driving the sandbox through the actions
// that produce it: same keys in the same order, same nesting, same JSON types (CONTRACT.md §4.4).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type Sandbox } from "../../dev/sandbox/server.js";
import { chatwootSignature, isValidChatwootSignature } from "../../functions/core/signatures.js";
import { webhookFixture } from "../support/fixtures.js";
import { field, num, sandboxApi, seedConversation } from "../support/sandbox-api.js";
import { startWebhookReceiver, type CapturedWebhook, type WebhookReceiver } from "../support/sandbox-receiver.js";
import { shapeDiff } from "../support/shape-compare.js";

let sandbox: Sandbox;
let receiver: WebhookReceiver;
const captured: Record<string, CapturedWebhook> = {};

function isEvent(event: string, messageId?: number) {
  return (hook: CapturedWebhook) => hook.event === event && (messageId === undefined || hook.body.id === messageId);
}

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  sandbox = await startSandbox({ webhookUrl: receiver.url });
  const api = sandboxApi(sandbox);
  const { conversationId, messageId } = await seedConversation(
    api,
    "7781",
    "Hola, necesito ayuda con mi pedido #A-5521",
  );
  captured.conversation_created = await receiver.waitFor(isEvent("conversation_created"));
  captured["message_created.incoming"] = await receiver.waitFor(isEvent("message_created", messageId));

  sandbox.assign(conversationId);
  sandbox.typing(conversationId, true);
  captured.conversation_typing_on = await receiver.waitFor(isEvent("conversation_typing_on"));

  const reply = sandbox.reply(conversationId, "Hola María, ya estoy revisando tu pedido.");
  captured["message_created.outgoing"] = await receiver.waitFor(isEvent("message_created", reply.id));
  const note = sandbox.note(conversationId, "Cliente VIP, revisar envío");
  captured["message_created.private_note"] = await receiver.waitFor(isEvent("message_created", note.id));

  const invoice = {
    filename: "factura-A-5521.png",
    contentType: "image/png",
    data: new Uint8Array([137, 80, 78, 71, 1, 2, 3]),
  };
  const withFile = sandbox.reply(conversationId, "Aquí tienes la factura de tu pedido.", { attachments: [invoice] });
  captured["message_created.with_attachment"] = await receiver.waitFor(isEvent("message_created", withFile.id));
  sandbox.deleteMessage(conversationId, withFile.id);
  captured.message_updated = await receiver.waitFor(isEvent("message_updated", withFile.id));

  sandbox.resolve(conversationId);
  captured["conversation_status_changed.resolved"] = await receiver.waitFor(isEvent("conversation_status_changed"));
  captured["conversation_updated.resolved"] = await receiver.waitFor(
    (hook) => hook.event === "conversation_updated" && hook.body.status === "resolved",
  );

  receiver.answerWith((hook) => (hook.event === "message_created" && hook.body.content === "will fail" ? 500 : 200));
  const failing = sandbox.reply(conversationId, "will fail");
  captured["message_updated.failed_delivery"] = await receiver.waitFor(isEvent("message_updated", failing.id));
  receiver.answerWith(() => 200);
  await sandbox.webhooksIdle();
  expect(num(captured["message_created.incoming"]?.body, "conversation", "id")).toBe(conversationId);
});

afterAll(async () => {
  await sandbox.close();
  await receiver.close();
});

const examples = [
  "conversation_created",
  "message_created.incoming",
  "conversation_typing_on",
  "message_created.outgoing",
  "message_created.private_note",
  "message_created.with_attachment",
  "message_updated",
  "message_updated.failed_delivery",
  "conversation_status_changed.resolved",
  "conversation_updated.resolved",
];

describe("webhook payloads match the shared examples", () => {
  it.each(examples)("reproduces %s.json key for key, in order, with the same JSON types", (name) => {
    const hook = captured[name];
    expect(hook?.event).toBe(webhookFixture(`${name}.json`).event);
    expect(shapeDiff(webhookFixture(`${name}.json`), hook?.body)).toEqual([]);
  });

  it("reports the failure reason only in content_attributes and conversation.messages[0].status", () => {
    const body = captured["message_updated.failed_delivery"]?.body;
    expect(body?.content_attributes).toEqual({ external_error: "500 Internal Server Error" });
    expect(body && "status" in body).toBe(false);
    expect(captured["message_updated.failed_delivery"]?.body.conversation).toMatchObject({
      messages: [{ status: "failed" }],
    });
  });

  it("sends conversation_status_changed with changed_attributes null and the transition on conversation_updated", () => {
    expect(captured["conversation_status_changed.resolved"]?.body.changed_attributes).toBeNull();
    const changed = captured["conversation_updated.resolved"]?.body.changed_attributes;
    expect(changed).toEqual([
      { status: { previous_value: "open", current_value: "resolved" } },
      { updated_at: { previous_value: expect.any(String), current_value: expect.any(String) } },
    ]);
  });

  it("never sends contact_created to the API channel, neither for contact create nor for anything else", async () => {
    const api = sandboxApi(sandbox);
    const before = sandbox.webhookLog().length;
    expect((await api.post("/contacts", { name: "Nobody", identifier: "silent-1", inbox_id: 1 })).status).toBe(200);
    await sandbox.webhooksIdle();
    expect(sandbox.webhookLog().length).toBe(before);
    expect(receiver.ofEvent("contact_created")).toEqual([]);
    expect(webhookFixture("contact_created.account_webhook_only.json").event).toBe("contact_created");
  });
});

describe("webhook signatures", () => {
  it("verifies the shared signature test vector with our helper", () => {
    const vector = webhookFixture("_signature_test_vector.json");
    const secret = String(vector.secret);
    const rawBody = String(vector.raw_body);
    const timestamp = String(field(vector, "headers", "X-Chatwoot-Timestamp"));
    const header = String(field(vector, "headers", "X-Chatwoot-Signature"));
    expect(chatwootSignature(secret, timestamp, Buffer.from(rawBody))).toBe(header);
    expect(isValidChatwootSignature(secret, timestamp, Buffer.from(`${rawBody} `), header)).toBe(false);
  });

  it("signs every sandbox webhook the same way, over the raw bytes with the inbox secret", () => {
    expect(receiver.received.length).toBeGreaterThan(10);
    for (const hook of receiver.received) {
      const timestamp = String(hook.headers["x-chatwoot-timestamp"]);
      expect(hook.headers["x-chatwoot-signature"]).toBe(chatwootSignature(sandbox.webhookSecret, timestamp, hook.raw));
    }
  });
});
