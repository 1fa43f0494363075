// The public Client API for API inboxes (CONTRACT.md §3), the part the bridge uses: what only the contact can do.
// No token: the inbox identifier and the contact's source_id name the caller. PublicController has no exception
// handler, so a miss is Rails' 404 `{"status":404,"error":"Not Found"}`. Route keys start with `/public`.
import type { Core } from "./core.js";
import { ApiError } from "./errors.js";
import { json, type Reply } from "./http.js";
import { markConversationRead } from "./messages.js";
import { integer, text, type ParamObject } from "./params.js";
import { Router } from "./router.js";
import type { Contact, Conversation } from "./types.js";

export const PUBLIC_PREFIX = /^\/public\/api\/v1\/inboxes(\/.*)$/;

export interface PublicContext {
  core: Core;
  params: ParamObject;
  path: Record<string, string>;
  /** Runs work after the answer, as a Sidekiq job would (update_last_seen's status job). */
  later: (work: () => void) => void;
}

interface PublicRoute {
  method: "GET" | "POST";
  path: string;
  handler: (ctx: PublicContext) => Reply;
}

const railsNotFound = (): ApiError => new ApiError(404, { status: 404, error: "Not Found" });

/** Inbox by identifier, contact_inbox by source_id, then a conversation of that contact_inbox (inboxes_controller.rb). */
function contactConversation(ctx: PublicContext): { conversation: Conversation; contact: Contact } {
  const { state } = ctx.core;
  if (ctx.path.inbox_identifier !== state.inbox.identifier) throw railsNotFound();
  const contactInbox = state.contactInboxBySource(state.inbox.id, ctx.path.contact_identifier ?? "");
  const conversation = state.conversationByDisplayId(integer(ctx.path.id) ?? -1);
  if (contactInbox === undefined || conversation?.contactInboxId !== contactInbox.id) throw railsNotFound();
  return { conversation, contact: state.contactOf(conversation) };
}

function showInbox(ctx: PublicContext): Reply {
  const { inbox } = ctx.core.state;
  if (ctx.path.inbox_identifier !== inbox.identifier) throw railsNotFound();
  return json({
    identifier: inbox.identifier,
    identity_validation_enabled: inbox.hmacMandatory,
    name: inbox.name,
    timezone: "UTC",
    working_hours: [],
    working_hours_enabled: false,
    csat_survey_enabled: false,
    greeting_enabled: false,
  });
}

/** `typing_status` on/off fires conversation_typing_on/off with the contact as `user`; anything else does nothing. */
function toggleTyping(ctx: PublicContext): Reply {
  const { conversation, contact } = contactConversation(ctx);
  const status = text(ctx.params.typing_status);
  if (status === "on" || status === "off") {
    ctx.core.events.emit({
      event: status === "on" ? "conversation_typing_on" : "conversation_typing_off",
      conversationId: conversation.id,
      userId: -1,
      contactId: contact.id,
      isPrivate: false,
    });
  }
  return { status: 200, text: "" };
}

/** Sets contact_last_seen_at, then marks every non-incoming message read asynchronously (CONTRACT.md §3). */
function updateLastSeen(ctx: PublicContext): Reply {
  const { conversation } = contactConversation(ctx);
  conversation.contactLastSeenAt = ctx.core.state.clock();
  ctx.later(() => markConversationRead(ctx.core, conversation));
  return { status: 200, text: "" };
}

const CONVERSATION = "/:inbox_identifier/contacts/:contact_identifier/conversations/:id";

export const publicRouter = new Router<PublicRoute>([
  { method: "GET", path: "/:inbox_identifier", handler: showInbox },
  { method: "POST", path: `${CONVERSATION}/toggle_typing`, handler: toggleTyping },
  { method: "POST", path: `${CONVERSATION}/update_last_seen`, handler: updateLastSeen },
]);
