// POST /conversations: open (or get) the user's conversation (spec §3.2).
import type { InboundRouteDeps } from "../compose/deps.js";
import { ensureConversation } from "../core/contacts.js";
import { jsonResponse } from "../edge/errors-http.js";
import type { HttpHandler } from "../edge/http-event.js";
import { httpPipeline, jsonRequest } from "../edge/http-pipeline.js";
import { conversationsPostBody } from "../edge/inbound-schemas.js";
import { conversationView, toProfile } from "../edge/inbound-views.js";

export function conversationsPostRoute(deps: InboundRouteDeps): HttpHandler {
  const { checks, body } = jsonRequest(deps.config, conversationsPostBody);
  return httpPipeline(deps.log)
    .use(checks)
    .handler(async (event) => {
      const input = body.inputOf(event);
      const profile = toProfile(input.contact);
      const { mapping, created } = await ensureConversation(deps, input.user_id, {
        ...(profile ? { profile } : {}),
        ...(input.thread_id !== undefined ? { threadId: input.thread_id } : {}),
      });
      return jsonResponse(created ? 201 : 200, { ...conversationView(mapping), created });
    });
}
