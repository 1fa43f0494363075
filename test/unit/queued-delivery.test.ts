import { describe, expect, it } from "vitest";
import { parseQueuedDelivery } from "../../functions/core/queued-delivery.js";
import { parseWorkerRecord } from "../../functions/core/worker-record.js";
import { classifyWebhook } from "../../functions/core/webhook-events.js";
import { webhookFixture } from "../support/fixtures.js";

const received = new Date("2026-06-20T14:05:43.000Z");

/** A Retry's message_updated: the one webhook still queued with the message itself. */
const retried = (file: string) => ({ ...webhookFixture(file), event: "message_updated" });

describe("parseWorkerRecord", () => {
  it.each([
    "message_created.outgoing.json",
    "message_created.with_attachment.json",
    "message_updated.json",
    "conversation_status_changed.resolved.json",
  ])("reads back exactly what the webhook route queued for %s", (file) => {
    const classified = classifyWebhook(webhookFixture(file), received);
    if (classified.action !== "enqueue") throw new Error("expected enqueue");
    expect(parseWorkerRecord(JSON.stringify(classified.delivery))).toEqual(classified.delivery);
  });

  it("reads back a Retry queued with its message", () => {
    const classified = classifyWebhook(retried("message_created.with_attachment.json"), received);
    if (classified.action !== "enqueue") throw new Error("expected enqueue");
    expect(parseWorkerRecord(JSON.stringify(classified.delivery))).toEqual(classified.delivery);
  });

  it.each([
    [
      "a signal without a conversation",
      JSON.stringify({ type: "conversation.changed", occurredAt: "x", origin: "webhook" }),
    ],
    ["a marks record without a conversation", JSON.stringify({ type: "reply.marks" })],
  ])("refuses %s", (_name, text) => {
    expect(parseWorkerRecord(text)).toBeUndefined();
  });
});

describe("parseQueuedDelivery", () => {
  it.each([
    ["not JSON", "{"],
    ["an array", "[]"],
    ["an unknown type", JSON.stringify({ type: "message.edited", webhookId: "w", conversationId: 1, occurredAt: "x" })],
    [
      "a status change without a known status",
      JSON.stringify({
        type: "conversation.status_changed",
        webhookId: "w",
        conversationId: 1,
        occurredAt: "x",
        status: "closed",
      }),
    ],
    [
      "a message without its message",
      JSON.stringify({ type: "message.created", webhookId: "w", conversationId: 1, messageId: 5, occurredAt: "x" }),
    ],
    [
      "a deletion without a message id",
      JSON.stringify({ type: "message.deleted", webhookId: "w", conversationId: 1, occurredAt: "x" }),
    ],
  ])("refuses %s", (_name, text) => {
    expect(parseQueuedDelivery(text)).toBeUndefined();
  });

  it("reads a body queued before redelivery was dropped, leaving the field out", () => {
    const classified = classifyWebhook(retried("message_created.outgoing.json"), received);
    if (classified.action !== "enqueue") throw new Error("expected enqueue");
    const old = JSON.stringify({ ...classified.delivery, redelivery: true });
    expect(parseQueuedDelivery(old)).toStrictEqual(classified.delivery);
  });

  it("refuses a message whose attachment has no file_type, rather than delivering half of it", () => {
    const classified = classifyWebhook(retried("message_created.with_attachment.json"), received);
    if (
      classified.action !== "enqueue" ||
      classified.delivery.type !== "message.created" ||
      !classified.delivery.message
    )
      throw new Error("expected a message");
    const message = { ...classified.delivery.message, attachments: [{ url: "https://files.example.com/a.png" }] };
    expect(parseQueuedDelivery(JSON.stringify({ ...classified.delivery, message }))).toBeUndefined();
  });
});
