// POST /contacts: create or update a user's contact (spec §3.1).
import type { InboundRouteDeps } from "../compose/deps.js";
import { ensureContact } from "../core/contacts.js";
import { jsonResponse } from "../edge/errors-http.js";
import type { HttpHandler } from "../edge/http-event.js";
import { httpPipeline, jsonRequest } from "../edge/http-pipeline.js";
import { contactsPostBody } from "../edge/inbound-schemas.js";
import { contactView, toProfile } from "../edge/inbound-views.js";

export function contactsPostRoute(deps: InboundRouteDeps): HttpHandler {
  const { checks, body } = jsonRequest(deps.config, contactsPostBody);
  return httpPipeline(deps.log)
    .use(checks)
    .handler(async (event) => {
      const { user_id, ...profile } = body.inputOf(event);
      const { mapping, created } = await ensureContact(deps, user_id, toProfile(profile) ?? {});
      return jsonResponse(created ? 201 : 200, contactView(mapping, deps.config.chatwootInboxId, created));
    });
}
