// Values Chatwoot computes from the tables rather than storing: which message a conversation shows,
// its unread count and can_reply (CONTRACT.md §2.4, §4.4).
import type { SandboxState } from "./state.js";
import { MICROS_PER_SECOND } from "./time.js";
import type { Conversation, Message } from "./types.js";

/** `unread_incoming_messages`: incoming messages after the agent last looked, counted up to 10. */
const UNREAD_CAP = 10;

export function unreadCount(state: SandboxState, conversation: Conversation): number {
  const seen = conversation.agentLastSeenAt ?? 0;
  const unread = state.messagesOf(conversation).filter((m) => m.messageType === "incoming" && m.createdAt > seen);
  return Math.min(unread.length, UNREAD_CAP);
}

/** The API partial's `messages`: the very last message, even a private note or an activity. */
export function lastMessage(state: SandboxState, conversation: Conversation): Message | undefined {
  return state.messagesOf(conversation).at(-1);
}

/** `last_non_activity_message`: private notes included. */
export function lastNonActivityMessage(state: SandboxState, conversation: Conversation): Message | undefined {
  return state
    .messagesOf(conversation)
    .filter((m) => m.messageType !== "activity")
    .at(-1);
}

/** Webhook `conversation.messages[0]`: the latest public, non-activity message (§4.4). */
export function lastPublicMessage(state: SandboxState, conversation: Conversation): Message | undefined {
  return state
    .messagesOf(conversation)
    .filter((m) => !m.private && m.messageType !== "activity")
    .at(-1);
}

/** False only when the inbox sets `agent_reply_time_window` (hours) and the last incoming is older. */
export function canReply(state: SandboxState, conversation: Conversation): boolean {
  const windowHours = state.inbox.additionalAttributes.agent_reply_time_window;
  if (typeof windowHours !== "number") return true;
  const lastIncoming = state
    .messagesOf(conversation)
    .filter((m) => m.messageType === "incoming")
    .at(-1);
  if (lastIncoming === undefined) return false;
  return state.clock() - lastIncoming.createdAt <= windowHours * 3600 * MICROS_PER_SECOND;
}
