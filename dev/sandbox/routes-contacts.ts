// Application API contacts routes (CONTRACT.md §2.2, §2.3): create, index, search, filter, show,
// update, destroy, contact_inboxes and a contact's conversations, with their exact response envelopes.
import {
  CONTACTS_PER_PAGE,
  byLastActivity,
  filterContacts,
  page,
  resolvedContacts,
  searchContacts,
} from "./contact-queries.js";
import {
  SourceIdTakenError,
  createContact,
  destroyContact,
  ensureContactInbox,
  updateContact,
  type ContactInput,
} from "./contacts.js";
import { contactConversations } from "./conversations.js";
import { internalError, notFound, unauthorized, unprocessable } from "./errors.js";
import { json, type Reply } from "./http.js";
import { bool, integer, object, presentText, text, toJson, type ParamObject } from "./params.js";
import type { RouteContext, RouteDef } from "./router.js";
import type { Contact } from "./types.js";
import { conversationView } from "./views-api.js";
import { inboxRaw } from "./views-inbox.js";
import { contactInboxSlim, contactView } from "./views-records.js";

/** Reads the permitted contact params; a key sent as null clears the field. */
export function readContactInput(params: ParamObject): ContactInput {
  const nullable = (key: string): string | null | undefined => (params[key] === null ? null : text(params[key]));
  const additional = object(params.additional_attributes);
  const custom = object(params.custom_attributes);
  return {
    name: text(params.name),
    email: nullable("email"),
    phoneNumber: nullable("phone_number"),
    identifier: nullable("identifier"),
    blocked: bool(params.blocked),
    additionalAttributes: additional === undefined ? undefined : toJson(additional),
    customAttributes: custom === undefined ? undefined : toJson(custom),
  };
}

function findContact(ctx: RouteContext): Contact {
  const contact = ctx.core.state.contacts.get(integer(ctx.path.id) ?? -1);
  if (contact === undefined) throw notFound();
  return contact;
}

/** `current_page` echoes the param (a string when sent), else the integer 1 (CONTRACT.md §2.2). */
function currentPage(params: ParamObject): { echo: string | number; number: number } {
  const raw = text(params.page);
  return { echo: raw ?? 1, number: integer(raw) ?? 1 };
}

function contactList(ctx: RouteContext, contacts: Contact[]): unknown[] {
  const withContactInboxes = bool(ctx.params.include_contact_inboxes) !== false;
  return contacts.map((contact) => contactView(ctx.core.state, contact, { withContactInboxes }));
}

function create(ctx: RouteContext): Reply {
  const { params } = ctx;
  const inboxRawParam = presentText(params.inbox_id);
  const inboxId = inboxRawParam === undefined ? undefined : (integer(inboxRawParam) ?? -1);
  try {
    const { contact, contactInbox } = createContact(ctx.core, readContactInput(params), {
      inboxId,
      sourceId: text(params.source_id),
    });
    const inbox = contactInbox === undefined ? undefined : ctx.core.state.inboxById(contactInbox.inboxId);
    return json({
      payload: {
        contact: contactView(ctx.core.state, contact, { withContactInboxes: true }),
        contact_inbox: {
          inbox: inbox === undefined ? null : inboxRaw(inbox),
          source_id: contactInbox?.sourceId ?? null,
        },
      },
    });
  } catch (error) {
    // ContactInboxBuilder's RecordNotUnique is not rescued for API inboxes: 500, contact rolled back.
    if (error instanceof SourceIdTakenError) throw internalError();
    throw error;
  }
}

function index(ctx: RouteContext): Reply {
  const { echo, number } = currentPage(ctx.params);
  const all = resolvedContacts(ctx.core.state).sort(byLastActivity);
  return json({
    meta: { count: all.length, current_page: echo },
    payload: contactList(ctx, page(all, number, CONTACTS_PER_PAGE)),
  });
}

function search(ctx: RouteContext): Reply {
  const query = presentText(ctx.params.q);
  if (query === undefined) throw unprocessable("Specify search string with parameter q");
  const { echo, number } = currentPage(ctx.params);
  const found = page(searchContacts(ctx.core.state, query), number, CONTACTS_PER_PAGE + 1);
  const shown = found.slice(0, CONTACTS_PER_PAGE);
  return json({
    meta: { count: shown.length, current_page: echo, has_more: found.length > CONTACTS_PER_PAGE },
    payload: contactList(ctx, shown),
  });
}

function filter(ctx: RouteContext): Reply {
  const { echo, number } = currentPage(ctx.params);
  const all = filterContacts(ctx.core.state, ctx.params.payload);
  return json({
    meta: { count: all.length, current_page: echo },
    payload: contactList(ctx, page(all, number, CONTACTS_PER_PAGE)),
  });
}

function show(ctx: RouteContext): Reply {
  return json({ payload: contactView(ctx.core.state, findContact(ctx), { withContactInboxes: true }) });
}

function update(ctx: RouteContext): Reply {
  const contact = updateContact(ctx.core, findContact(ctx), readContactInput(ctx.params));
  return json({ payload: contactView(ctx.core.state, contact, { withContactInboxes: true }) });
}

/**
 * contacts#destroy: ContactPolicy#destroy? lets administrators only, checked (Pundit 401) before the
 * contact is looked up; then `head :ok`, an empty 200. No presence check: sandbox contacts are never online.
 */
function destroy(ctx: RouteContext): Reply {
  if (ctx.user.role !== "administrator") throw unauthorized({ error: "You are not authorized to do this action" });
  destroyContact(ctx.core, findContact(ctx));
  return { status: 200 };
}

/** Idempotent for the same (contact, inbox, source_id); another contact's source_id → 500 (§2.3). */
function createContactInbox(ctx: RouteContext): Reply {
  const contact = findContact(ctx);
  const inbox = ctx.core.state.inboxById(integer(ctx.params.inbox_id) ?? -1);
  if (inbox === undefined) throw notFound();
  try {
    const record = ensureContactInbox(
      ctx.core,
      contact,
      inbox,
      text(ctx.params.source_id),
      bool(ctx.params.hmac_verified) ?? false,
    );
    return json(contactInboxSlim(ctx.core.state, record));
  } catch (error) {
    if (error instanceof SourceIdTakenError) throw internalError();
    throw error;
  }
}

function conversations(ctx: RouteContext): Reply {
  const contact = findContact(ctx);
  return json({ payload: contactConversations(ctx.core.state, contact.id).map((c) => conversationView(ctx.view, c)) });
}

export const contactRoutes: RouteDef[] = [
  { method: "POST", path: "/contacts", handler: create },
  { method: "GET", path: "/contacts", handler: index },
  { method: "GET", path: "/contacts/search", handler: search },
  { method: "POST", path: "/contacts/filter", handler: filter },
  { method: "GET", path: "/contacts/:id", handler: show },
  { method: "PATCH", path: "/contacts/:id", handler: update },
  { method: "PUT", path: "/contacts/:id", handler: update },
  { method: "DELETE", path: "/contacts/:id", handler: destroy },
  { method: "POST", path: "/contacts/:id/contact_inboxes", handler: createContactInbox },
  { method: "GET", path: "/contacts/:id/conversations", handler: conversations },
];
