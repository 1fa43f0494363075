// Saving a conversation the way Conversation's after_update_commit callbacks report it: status changes
// fire `conversation_status_changed` (changed_attributes null) then `conversation_updated` with the
// changed keys and `updated_at` (CONTRACT.md §4.4, §4.6); status and assignment add activity rows.
import type { Core } from "./core.js";
import { insertActivity } from "./message-store.js";
import { isoOrNull } from "./time.js";
import type { Conversation, ConversationStatus, User } from "./types.js";
import type { ChangedAttribute } from "./views-webhook.js";

type Tracked = "status" | "assigneeId" | "snoozedUntil" | "waitingSince" | "firstReplyCreatedAt" | "priority";
export type ConversationChange = Partial<Pick<Conversation, Tracked>>;

const TRACKED: Tracked[] = ["status", "assigneeId", "snoozedUntil", "waitingSince", "firstReplyCreatedAt", "priority"];
const COLUMN: Record<Tracked, string> = {
  status: "status",
  assigneeId: "assignee_id",
  snoozedUntil: "snoozed_until",
  waitingSince: "waiting_since",
  firstReplyCreatedAt: "first_reply_created_at",
  priority: "priority",
};
const TIME_COLUMNS = new Set<Tracked>(["snoozedUntil", "waitingSince", "firstReplyCreatedAt"]);

function encode(key: Tracked, value: unknown): unknown {
  return TIME_COLUMNS.has(key) && (typeof value === "number" || value === null) ? isoOrNull(value) : value;
}

/** Applies `change` (keys in the order given); fires the events when something changed. */
export function updateConversation(
  core: Core,
  conversation: Conversation,
  change: ConversationChange,
): ChangedAttribute[] {
  const changed: ChangedAttribute[] = [];
  const keys = Object.keys(change).flatMap((name) => TRACKED.filter((key) => key === name));
  for (const key of keys) {
    const next = change[key];
    if (next === undefined || next === conversation[key]) continue;
    changed.push({
      [COLUMN[key]]: { previous_value: encode(key, conversation[key]), current_value: encode(key, next) },
    });
  }
  if (changed.length === 0) return [];
  const statusChanged = change.status !== undefined && change.status !== conversation.status;
  Object.assign(conversation, change);
  const previousUpdatedAt = conversation.updatedAt;
  conversation.updatedAt = core.state.clock();
  changed.push({
    updated_at: { previous_value: isoOrNull(previousUpdatedAt), current_value: isoOrNull(conversation.updatedAt) },
  });
  const conversationId = conversation.id;
  if (statusChanged) core.events.emit({ event: "conversation_status_changed", conversationId });
  core.events.emit({ event: "conversation_updated", conversationId, changedAttributes: changed });
  return changed;
}

const STATUS_ACTIVITY: Record<ConversationStatus, string> = {
  open: "Conversation was reopened by %s",
  resolved: "Conversation was marked resolved by %s",
  pending: "Conversation was marked as pending by %s",
  snoozed: "Conversation was snoozed by %s",
};

export interface StatusChangeOptions {
  /** Who did it; an agent-role User moving it to open is assigned to it (CONTRACT.md §2.4). */
  actor?: User;
  snoozedUntil?: number | null;
}

/** Sets the status with Chatwoot's side effects; returns whether anything changed. */
export function changeStatus(
  core: Core,
  conversation: Conversation,
  status: ConversationStatus,
  options: StatusChangeOptions = {},
): boolean {
  const change: ConversationChange = { status };
  if (status === "resolved") change.waitingSince = null;
  change.snoozedUntil = status === "snoozed" ? (options.snoozedUntil ?? null) : null;
  const actor = options.actor;
  if (status === "open" && actor?.role === "agent") change.assigneeId = actor.id;
  const statusBefore = conversation.status;
  const changed = updateConversation(core, conversation, change);
  if (changed.length === 0) return false;
  if (statusBefore !== status) {
    const text =
      actor === undefined && status === "open"
        ? "System reopened the conversation due to a new incoming message."
        : STATUS_ACTIVITY[status].replace("%s", actor?.name ?? "System");
    insertActivity(core, conversation, text);
  }
  return true;
}

/** Assigns (or unassigns with null) and records the activity row. */
export function assignConversation(
  core: Core,
  conversation: Conversation,
  assignee: User | null,
  actor: User,
): boolean {
  const changed = updateConversation(core, conversation, { assigneeId: assignee?.id ?? null });
  if (changed.length === 0) return false;
  const text =
    assignee === null
      ? `Conversation unassigned by ${actor.name}`
      : assignee.id === actor.id
        ? `${actor.name} self-assigned this conversation`
        : `Assigned to ${assignee.name} by ${actor.name}`;
  insertActivity(core, conversation, text);
  return true;
}
