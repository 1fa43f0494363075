// GET /contacts/{user_id}: read the mapping (spec §3.4).
import { readMapping } from "../core/contacts.js";
import { BridgeError } from "../core/errors.js";
import { httpRoute } from "../edge/route.js";
import { conversationView } from "../edge/inbound-views.js";
import { pathUserId } from "../edge/path-params.js";

export const handler = httpRoute(
  undefined,
  async (_input, { deps, event }) => {
    const mapping = await readMapping(deps, pathUserId(event));
    if (!mapping) throw new BridgeError("not_found", "No mapping for this user_id");
    return { status: 200, body: conversationView(mapping) };
  },
  { body: false },
);
