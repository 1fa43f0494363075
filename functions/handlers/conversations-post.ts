// POST /conversations: open (or get) the user's conversation (spec §3.2).
import { ensureConversation } from "../core/contacts.js";
import { httpRoute } from "../edge/route.js";
import { conversationsPostBody } from "../edge/inbound-schemas.js";
import { conversationView, toProfile } from "../edge/inbound-views.js";

export const handler = httpRoute(conversationsPostBody, async (input, { deps }) => {
  const { mapping, created } = await ensureConversation(deps, input.user_id, toProfile(input.contact));
  return { status: created ? 201 : 200, body: { ...conversationView(mapping), created } };
});
