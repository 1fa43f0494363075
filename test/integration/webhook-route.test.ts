// POST /webhooks/chatwoot: the signature matrix, and what each of Chatwoot's example payloads becomes (issue #5).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DynamoMappingStore } from "../../functions/adapters/dynamo-mapping-store.js";
import { startTestBridge, type TestBridge, receiverOf, sandboxOf } from "../support/bridge.js";
import { webhookFixtureFor } from "../support/fixtures.js";
import { openConversation, settle, type Delivered } from "../support/replies.js";
import { scopeOf } from "../support/bridge.js";
import { heldWebhooks } from "../support/shuffled-webhooks.js";
import { postWebhook } from "../support/webhook-post.js";

let t: TestBridge;
let secret: string;
beforeAll(async () => {
  t = await startTestBridge();
  secret = t.bridge.config.chatwootWebhookSecret ?? "";
});
afterAll(async () => t.close());

const receiver = () => receiverOf(t);
const queuedCount = () => t.logLines.filter((line) => line.includes('"event":"webhook.queued"')).length;

describe("the signature matrix", () => {
  let body: string;
  let messageId: number;
  beforeAll(async () => {
    const conversationId = await openConversation(t, "signer");
    await settle(t);
    // A real reply, held back by the sandbox: the worker reads what it delivers from Chatwoot (docs/delivery.md).
    const [held] = await heldWebhooks(t, "message_created", () => {
      sandboxOf(t).reply(conversationId, "Hola, signed and sealed");
    });
    if (!held) throw new Error("the sandbox built no webhook");
    body = held.body;
    messageId = (JSON.parse(body) as { id: number }).id;
  });

  const refusals: Array<[string, () => Promise<Response>]> = [
    ["a wrong secret", () => postWebhook(t.bridge.url, body, { secret: "not-the-secret" })],
    ["a tampered body", () => postWebhook(t.bridge.url, body.replace("Hola", "Hala"), { secret, signedBody: body })],
    [
      "a re-serialised body",
      () => postWebhook(t.bridge.url, JSON.stringify(JSON.parse(body), null, 2), { secret, signedBody: body }),
    ],
    [
      "a timestamp six minutes old",
      () => postWebhook(t.bridge.url, body, { secret, timestampSeconds: Math.floor(Date.now() / 1000) - 360 }),
    ],
    [
      "a timestamp six minutes ahead",
      () => postWebhook(t.bridge.url, body, { secret, timestampSeconds: Math.floor(Date.now() / 1000) + 360 }),
    ],
    [
      "a missing signature header",
      () => postWebhook(t.bridge.url, body, { secret, headers: { "x-chatwoot-signature": undefined } }),
    ],
    [
      "a missing timestamp header",
      () => postWebhook(t.bridge.url, body, { secret, headers: { "x-chatwoot-timestamp": undefined } }),
    ],
    [
      "a non-numeric timestamp",
      () => postWebhook(t.bridge.url, body, { secret, headers: { "x-chatwoot-timestamp": "yesterday" } }),
    ],
    ["no signature at all", () => postWebhook(t.bridge.url, body)],
    [
      "no signature but the secret as ?token= while unsigned webhooks are not allowed",
      () => postWebhook(t.bridge.url, body, { query: `?token=${encodeURIComponent(secret)}` }),
    ],
  ];

  it.each(refusals)("refuses %s with 401 and enqueues nothing", async (_name, send) => {
    const before = queuedCount();
    const response = await send();
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      error: { code: "unauthorized", message: expect.stringMatching(/^Webhook refused: /) },
    });
    await settle(t);
    expect(queuedCount()).toBe(before);
    expect(
      receiver()
        .received()
        .filter((d) => (d.body as Delivered).data.message?.id === messageId),
    ).toEqual([]);
  });

  it("accepts the correctly signed raw bytes, answers 200 and delivers", async () => {
    const response = await postWebhook(t.bridge.url, body, { secret });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, queued: true });
    const delivery = await receiver().next((d) => (d.body as Delivered).data.message?.id === messageId);
    expect(delivery.webhookId).toBe(`msg_${messageId}`);
  });

  it("answers 400 invalid_json to a correctly signed body that is not JSON", async () => {
    const response = await postWebhook(t.bridge.url, "not json", { secret });
    expect(response.status).toBe(400);
  });
});

describe("Chatwoot's example payloads", () => {
  it("are each acknowledged, and only what the spec names is queued, for a mapped conversation 287", async () => {
    const store = new DynamoMappingStore({
      tableName: t.bridge.config.tableName,
      endpoint: t.bridge.config.dynamodbEndpoint,
    });
    expect(await store.acquireUserLease("ext-user-7781", "test", Date.now() + 60_000, Date.now())).toBe(true);
    await store.saveMapping(
      {
        userId: "ext-user-7781",
        contactId: 4821,
        sourceId: "ext-chat-90412",
        conversationId: 287,
        conversationStatus: "open",
      },
      "test",
    );
    const files = [
      "conversation_created.json",
      "message_created.incoming.json",
      "conversation_typing_on.json",
      "message_created.outgoing.json",
      "message_created.private_note.json",
      "message_created.with_attachment.json",
      "message_updated.failed_delivery.json",
      "message_updated.json",
      "contact_created.account_webhook_only.json",
      "conversation_status_changed.resolved.json",
      "conversation_updated.resolved.json",
    ];
    const since = t.logLines.length;
    for (const file of files) {
      const response = await postWebhook(t.bridge.url, JSON.stringify(webhookFixtureFor(file, scopeOf(t))), { secret });
      expect(response.status, file).toBe(200);
    }
    await settle(t);
    const lines = t.logLines.slice(since).map((line) => JSON.parse(line) as Record<string, unknown>);
    // Replies and the status change signal "conversation 287 changed"; a deletion is its own event (spec §4).
    expect(
      lines
        .filter((l) => l.event === "webhook.queued" && l.type !== "typing.started")
        .map((l) => [l.type, l.event_key]),
    ).toEqual([
      ["conversation.changed", "message-91207"],
      ["conversation.changed", "message-91212"],
      // Chatwoot marked 91207 failed (its webhook failed): a delivery request for that one message.
      ["message.created", expect.stringMatching(/^redeliver-91207-[0-9a-f]{32}$/)],
      ["message.deleted", "deleted-91212"],
      ["conversation.changed", "conv_287_resolved_1781964900127554"],
    ]);
    // The sandbox holds no conversation 287: each signal ends at once (Chatwoot's 404), none retried forever. The
    // failure marking of 91207 too: its cursor has not passed it, so it is read with the conversation's pull.
    expect(lines.filter((l) => l.event === "delivery.signal_dropped").map((l) => l.reason)).toEqual([
      "conversation not found",
      "conversation not found",
      "conversation not found",
      "conversation not found",
    ]);
    const all = receiver()
      .received()
      .filter((d) => (d.body as Delivered).data.conversation_id === 287);
    // Agent typing travels in its own queue group (issue 15), so its place among the others is not fixed.
    const typing = all.filter((d) => (d.body as Delivered).type.startsWith("typing."));
    expect(typing.map((d) => (d.body as Delivered).type)).toEqual(["typing.started"]);
    // No reply was read from Chatwoot, so none is delivered, nor 91212's deletion (docs/delivery.md).
    const delivered = all.filter((d) => !typing.includes(d));
    expect(delivered).toEqual([]);
    expect(typing.every((d) => (d.body as Delivered).data.user_id === "ext-user-7781")).toBe(true);
    expect((await store.getUser("ext-user-7781"))?.mapping?.conversationStatus).toBe("open");
  });
});
