// From a queued event to its webhook body (built when sent, so it shows the state of that moment,
// CONTRACT.md §4.3), and the failure handler that marks a message `failed` with `external_error`.
import type { Core, SandboxEvent } from "./core.js";
import { updateMessageStatus } from "./messages.js";
import type { SandboxState } from "./state.js";
import type { Conversation, JsonObject } from "./types.js";
import type { ViewContext } from "./views-records.js";
import { conversationEventWebhook, messageWebhook, typingWebhook } from "./views-webhook.js";

export function buildWebhookPayload(ctx: ViewContext, event: SandboxEvent): JsonObject | undefined {
  const { state } = ctx;
  switch (event.event) {
    case "message_created":
    case "message_updated": {
      const message = state.messages.get(event.messageId);
      // Activity messages are never webhook_sendable (message_filter_helpers.rb).
      return message === undefined || message.messageType === "activity"
        ? undefined
        : messageWebhook(ctx, message, event.event);
    }
    case "conversation_created":
      return withConversation(state, event.conversationId, (c) => conversationEventWebhook(ctx, c, event.event));
    case "conversation_status_changed":
      // Always null: dirty tracking is already reset when the after-commit callback runs (§4.4).
      return withConversation(state, event.conversationId, (c) => conversationEventWebhook(ctx, c, event.event, null));
    case "conversation_updated":
      return withConversation(state, event.conversationId, (c) =>
        conversationEventWebhook(ctx, c, event.event, event.changedAttributes),
      );
    case "conversation_typing_on":
    case "conversation_typing_off":
      return withConversation(state, event.conversationId, (c) =>
        typingWebhook(ctx, c, event.event, event.userId, event.isPrivate, event.contactId),
      );
  }
}

function withConversation(
  state: SandboxState,
  id: number,
  build: (conversation: Conversation) => JsonObject,
): JsonObject | undefined {
  const conversation = state.conversations.get(id);
  return conversation === undefined ? undefined : build(conversation);
}

/**
 * Webhooks::Trigger's failure path for API inboxes: Messages::StatusUpdateService(message, 'failed',
 * error). Only an effective change fires another message_updated, so a dead endpoint cannot loop.
 */
export function markDeliveryFailed(core: Core, event: SandboxEvent, error: string): void {
  if (event.event !== "message_created" && event.event !== "message_updated") return;
  const message = core.state.messages.get(event.messageId);
  if (message !== undefined) updateMessageStatus(core, message, "failed", error);
}
