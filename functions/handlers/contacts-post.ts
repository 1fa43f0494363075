// POST /contacts: create or update a user's contact (spec §3.1).
import { ensureContact } from "../core/contacts.js";
import { httpRoute } from "../edge/route.js";
import { contactsPostBody } from "../edge/inbound-schemas.js";
import { contactView, toProfile } from "../edge/inbound-views.js";

export const handler = httpRoute(contactsPostBody, async ({ user_id, ...profile }, { deps }) => {
  const { mapping, created } = await ensureContact(deps, user_id, toProfile(profile) ?? {});
  return { status: created ? 201 : 200, body: contactView(mapping, deps.config.chatwootInboxId, created) };
});
