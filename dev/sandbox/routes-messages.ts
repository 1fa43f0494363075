// Application API message routes (CONTRACT.md §2.5): create (every failure → 422 `{error}`), list
// (20/100/1000 windows), status update (API inbox; invalid transitions ignored), soft delete, retry.
import { ApiError, notFound, unprocessable } from "./errors.js";
import { json, type Reply } from "./http.js";
import { readMessageDraft } from "./message-draft.js";
import { createMessage, deleteMessage, retryMessage, updateMessageStatus } from "./messages.js";
import { integer, presentText, text } from "./params.js";
import type { RouteContext, RouteDef } from "./router.js";
import { findConversation } from "./routes-conversations.js";
import { isoOrNull } from "./time.js";
import type { Message } from "./types.js";
import { messageView } from "./views-api.js";
import { contactPush, userPush } from "./views-records.js";

/** MessageFinder windows. */
const LATEST = 20;
const AFTER_LIMIT = 100;
const BETWEEN_LIMIT = 1000;

function findMessage(ctx: RouteContext): Message {
  const conversation = findConversation(ctx);
  const message = ctx.core.state.messages.get(integer(ctx.path.message_id) ?? -1);
  if (message === undefined || message.conversationId !== conversation.id) throw notFound();
  return message;
}

function create(ctx: RouteContext): Reply {
  const conversation = findConversation(ctx);
  let echoId: string | undefined;
  let message: Message;
  try {
    const draft = readMessageDraft(ctx.params);
    echoId = draft.echoId;
    message = createMessage(ctx.core, conversation, draft, { user: ctx.user });
  } catch (error) {
    // messages#create: `rescue StandardError => e; render json: { error: e.message }, status: 422`.
    if (error instanceof ApiError) throw error;
    throw unprocessable(error instanceof Error ? error.message : "Unprocessable");
  }
  return json(messageView(ctx.view, message, echoId));
}

function list(ctx: RouteContext): Reply {
  const conversation = findConversation(ctx);
  const { state } = ctx.core;
  const before = integer(presentText(ctx.params.before));
  const after = integer(presentText(ctx.params.after));
  const all = state.messagesOf(conversation);
  let selected: Message[];
  if (before !== undefined && after !== undefined)
    selected = all.filter((m) => m.id > after && m.id < before).slice(0, BETWEEN_LIMIT);
  else if (before !== undefined) selected = all.filter((m) => m.id < before).slice(-LATEST);
  else if (after !== undefined) selected = all.filter((m) => m.id > after).slice(0, AFTER_LIMIT);
  else selected = all.slice(-LATEST);
  const meta: Record<string, unknown> = {
    labels: conversation.labels,
    additional_attributes: conversation.additionalAttributes,
    contact: contactPush(state.contactOf(conversation)),
  };
  const assignee = state.userById(conversation.assigneeId);
  if (assignee !== undefined) meta.assignee = userPush(assignee);
  meta.agent_last_seen_at = isoOrNull(conversation.agentLastSeenAt);
  meta.assignee_last_seen_at = isoOrNull(conversation.assigneeLastSeenAt);
  return json({ meta, payload: selected.map((m) => messageView(ctx.view, m)) });
}

/** Not in swagger; API inboxes only. `external_error` is stored only with `failed`. */
function updateStatus(ctx: RouteContext): Reply {
  const message = findMessage(ctx);
  if (ctx.core.state.inbox.channelType !== "Channel::Api") {
    throw new ApiError(403, { error: "Message status update is only allowed for API inboxes" });
  }
  updateMessageStatus(ctx.core, message, text(ctx.params.status) ?? "", text(ctx.params.external_error));
  return json(messageView(ctx.view, message));
}

function destroy(ctx: RouteContext): Reply {
  const message = findMessage(ctx);
  deleteMessage(ctx.core, message);
  return json(messageView(ctx.view, message));
}

function retry(ctx: RouteContext): Reply {
  const message = findMessage(ctx);
  retryMessage(ctx.core, message);
  return json(messageView(ctx.view, message));
}

export const messageRoutes: RouteDef[] = [
  { method: "POST", path: "/conversations/:id/messages", handler: create },
  { method: "GET", path: "/conversations/:id/messages", handler: list },
  { method: "PATCH", path: "/conversations/:id/messages/:message_id", handler: updateStatus },
  { method: "PUT", path: "/conversations/:id/messages/:message_id", handler: updateStatus },
  { method: "DELETE", path: "/conversations/:id/messages/:message_id", handler: destroy },
  { method: "POST", path: "/conversations/:id/messages/:message_id/retry", handler: retry },
];
