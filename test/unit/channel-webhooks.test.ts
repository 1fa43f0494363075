// Issue 15 on the webhook side, pure: agent typing (and the echoes that are not), quotes and interactive items of an
// agent reply, and the bridge's own deletions never delivered back.
import { describe, expect, it } from "vitest";
import { type ListedMessage, quotedSourceIdOf, toDeliveredMessage } from "../../functions/core/listed-message.js";
import { messageExtras } from "../../functions/core/message-extras.js";
import { classifyWebhook } from "../../functions/core/webhook-events.js";
import { webhookFixture } from "../support/fixtures.js";

const received = new Date("2026-06-20T14:05:43.000Z");
const typingOn = () => webhookFixture("conversation_typing_on.json");

describe("agent typing", () => {
  it("queues typing.started in its own group, with the sender and an expiry 30 s after receipt", () => {
    const result = classifyWebhook(typingOn(), received);
    expect(result).toEqual({
      action: "enqueue",
      groupId: "typing-287",
      deduplicationId: expect.stringMatching(/^typing_287_[0-9a-f]{24}_1781964343$/),
      delivery: {
        type: "typing.started",
        webhookId: expect.stringMatching(/^typing_287_[0-9a-f]{24}_1781964343$/),
        conversationId: 287,
        sender: { id: 7, name: "Daniel Ortega", type: "user" },
        occurredAt: "2026-06-20T14:05:43.000Z",
        expiresAt: Date.parse("2026-06-20T14:05:43.000Z") / 1000 + 30,
        // Whose it is, should the conversation not be mapped yet (an agent-started one).
        contact: { contactId: 4821, identifier: "ext-user-7781", sourceId: "ext-chat-90412", status: "open" },
      },
    });
  });

  it("queues conversation_typing_off as typing.stopped, and the same event twice under one deduplication id", () => {
    const off = { ...typingOn(), event: "conversation_typing_off" };
    const first = classifyWebhook(off, received);
    const again = classifyWebhook(structuredClone(off), received);
    expect(first.action === "enqueue" && first.delivery.type).toBe("typing.stopped");
    expect(first.action === "enqueue" && again.action === "enqueue" && again.deduplicationId).toBe(
      first.action === "enqueue" ? first.deduplicationId : "",
    );
    // The agent typing again a minute later sends the very same payload: a new event.
    const later = classifyWebhook(structuredClone(off), new Date(received.getTime() + 60_000));
    expect(later.action === "enqueue" && later.deduplicationId).not.toBe(
      first.action === "enqueue" ? first.deduplicationId : "",
    );
  });

  it.each([
    ["a private note being typed", { is_private: true }, "typing a private note"],
    ["a private note, as the string Chatwoot may pass through", { is_private: "true" }, "typing a private note"],
    [
      "the echo of the user's own typing: a contact's webhook_data has no type",
      { user: { id: 4821, name: "María López", identifier: "ext-user-7781" } },
      "echo of the user's typing",
    ],
  ])("ignores %s", (_name, change, reason) => {
    expect(classifyWebhook({ ...typingOn(), ...change }, received)).toEqual({ action: "ignore", reason });
  });
});

describe("agent replies carry what they quote and their items", () => {
  // Agent replies are read from Chatwoot's messages list by the worker (conversation-pull.ts): the list's entry
  // carries content_attributes as the webhook does.
  const reply = (attributes: Record<string, unknown>, contentType = "text"): ListedMessage => ({
    id: 91207,
    messageType: "outgoing",
    private: false,
    sourceId: null,
    status: "sent",
    deleted: false,
    content: "Hi",
    contentType,
    createdAt: 1781964342,
    sender: { id: 7, name: "Sam", type: "user" },
    attachments: [],
    contentAttributes: attributes,
  });

  it("a quote-reply carries reply_to with the Chatwoot id and, until the worker looks, a null message_id", () => {
    const listed = reply({ in_reply_to: 91201, in_reply_to_external_id: "cwb-msg-abc" });
    expect(toDeliveredMessage(listed).reply_to).toEqual({ message_id: null, chatwoot_message_id: 91201 });
    expect(quotedSourceIdOf(listed)).toEqual({ quotedSourceId: "cwb-msg-abc" });
  });

  it("a quote Chatwoot could not resolve (in_reply_to null) carries no reply_to", () => {
    const listed = reply({ in_reply_to: null, in_reply_to_external_id: null });
    expect("reply_to" in toDeliveredMessage(listed)).toBe(false);
    expect(quotedSourceIdOf(listed)).toEqual({});
  });

  it("an input_select carries its items as message.items", () => {
    const items = [
      { title: "Yes", value: "yes" },
      { title: "No", value: "no" },
    ];
    expect(toDeliveredMessage(reply({ items }, "input_select"))).toMatchObject({ content_type: "input_select", items });
  });

  it("messageExtras maps the same fields for any message source (webhook or list)", () => {
    expect(messageExtras("cards", { items: [{ title: "A" }], in_reply_to: 5 }, "m-1")).toEqual({
      reply_to: { message_id: "m-1", chatwoot_message_id: 5 },
      items: [{ title: "A" }],
    });
    expect(messageExtras("form", {})).toEqual({ items: [] });
    expect(messageExtras("text", { items: [1] })).toEqual({});
  });
});

describe("the bridge's own actions are not delivered back", () => {
  it("ignores the deletion of a user's (incoming) message, which only the bridge posts", () => {
    const deleted = {
      ...webhookFixture("message_updated.json"),
      message_type: "incoming",
      private: false,
      content_attributes: { deleted: true },
    };
    expect(classifyWebhook(deleted, received)).toEqual({ action: "ignore", reason: "deletion of a user's message" });
  });

  it("ignores the user's edit, posted as an incoming message", () => {
    const edit = {
      ...webhookFixture("message_created.incoming.json"),
      content_attributes: { edited: true, in_reply_to: 91201 },
    };
    expect(classifyWebhook(edit, received)).toEqual({ action: "ignore", reason: "not an agent reply" });
  });
});
