// Application API conversation routes (CONTRACT.md §2.4): create, list (with the `data` wrapper),
// show, toggle_status (toggles without a status; an invalid one is a 500) and toggle_typing_status.
import { changeStatus } from "./conversation-updates.js";
import {
  createConversation,
  findConversations,
  isConversationStatus,
  type ConversationInput,
} from "./conversations.js";
import { internalError, notFound } from "./errors.js";
import { json, type Reply } from "./http.js";
import { readMessageDraft } from "./message-draft.js";
import { integer, object, presentText, text, toJson } from "./params.js";
import type { RouteContext, RouteDef } from "./router.js";
import { MICROS_PER_SECOND, isoOrNull } from "./time.js";
import type { Conversation, ConversationStatus } from "./types.js";
import { conversationView } from "./views-api.js";

export function findConversation(ctx: RouteContext): Conversation {
  const conversation = ctx.core.state.conversationByDisplayId(integer(ctx.path.id) ?? -1);
  if (conversation === undefined) throw notFound();
  return conversation;
}

function create(ctx: RouteContext): Reply {
  const { params } = ctx;
  const messageParams = object(params.message);
  const snoozedUntil = integer(params.snoozed_until);
  const input: ConversationInput = {
    inboxId: integer(params.inbox_id),
    contactId: presentText(params.contact_id) === undefined ? undefined : (integer(params.contact_id) ?? -1),
    sourceId: presentText(params.source_id),
    status: text(params.status),
    assigneeId: integer(params.assignee_id),
    snoozedUntil: snoozedUntil === undefined ? undefined : snoozedUntil * MICROS_PER_SECOND,
    additionalAttributes: toJson(object(params.additional_attributes) ?? {}),
    customAttributes: toJson(object(params.custom_attributes) ?? {}),
    readMessage: messageParams === undefined ? undefined : () => readMessageDraft(messageParams),
  };
  const { conversation } = createConversation(ctx.core, input, ctx.user);
  return json(conversationView(ctx.view, conversation));
}

function list(ctx: RouteContext): Reply {
  const { params } = ctx;
  const { counts, conversations } = findConversations(
    ctx.core.state,
    {
      status: presentText(params.status),
      inboxId: integer(params.inbox_id),
      sourceId: presentText(params.source_id),
      assigneeType: presentText(params.assignee_type),
      page: integer(params.page) ?? 1,
      updatedWithin: integer(params.updated_within),
    },
    ctx.user,
  );
  return json({ data: { meta: counts, payload: conversations.map((c) => conversationView(ctx.view, c)) } });
}

function show(ctx: RouteContext): Reply {
  return json(conversationView(ctx.view, findConversation(ctx)));
}

function toggleStatus(ctx: RouteContext): Reply {
  const conversation = findConversation(ctx);
  const requested = presentText(ctx.params.status);
  let status: ConversationStatus;
  if (requested === undefined) {
    // Conversation#toggle_status: open → resolved, anything else → open.
    status = conversation.status === "open" ? "resolved" : "open";
  } else if (isConversationStatus(requested)) {
    status = requested;
  } else {
    throw internalError();
  }
  const rawSnooze = presentText(ctx.params.snoozed_until);
  const snoozeSeconds = integer(rawSnooze);
  if (rawSnooze !== undefined && snoozeSeconds === undefined) throw internalError();
  changeStatus(ctx.core, conversation, status, {
    actor: ctx.user,
    snoozedUntil: snoozeSeconds === undefined ? null : snoozeSeconds * MICROS_PER_SECOND,
  });
  return json({
    meta: {},
    payload: {
      success: true,
      conversation_id: conversation.displayId,
      current_status: conversation.status,
      snoozed_until: isoOrNull(conversation.snoozedUntil),
    },
  });
}

/** Fires conversation_typing_on/off with the token's user; `is_private` is passed through as sent. */
function toggleTyping(ctx: RouteContext): Reply {
  const conversation = findConversation(ctx);
  const typing = text(ctx.params.typing_status);
  if (typing === "on" || typing === "off") {
    const isPrivate = ctx.params.is_private ?? null;
    ctx.core.events.emit({
      event: typing === "on" ? "conversation_typing_on" : "conversation_typing_off",
      conversationId: conversation.id,
      userId: ctx.user.id,
      isPrivate,
    });
  }
  return { status: 200 };
}

export const conversationRoutes: RouteDef[] = [
  { method: "POST", path: "/conversations", handler: create },
  { method: "GET", path: "/conversations", handler: list },
  { method: "GET", path: "/conversations/:id", handler: show },
  { method: "POST", path: "/conversations/:id/toggle_status", handler: toggleStatus },
  { method: "POST", path: "/conversations/:id/toggle_typing_status", handler: toggleTyping },
];
