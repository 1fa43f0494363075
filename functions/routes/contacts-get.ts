// GET /contacts/{user_id}: read the mapping (spec §3.4).
import type { StoreDeps } from "../compose/deps.js";
import { readThreads } from "../core/contacts.js";
import { BridgeError } from "../core/errors.js";
import { jsonResponse } from "../edge/errors-http.js";
import type { HttpHandler } from "../edge/http-event.js";
import { httpPipeline } from "../edge/http-pipeline.js";
import { contactMappingView } from "../edge/inbound-views.js";
import { pathUserId } from "../edge/path-params.js";
import { bearerAuth } from "../edge/request-checks.js";

export function contactsGetRoute(deps: StoreDeps): HttpHandler {
  return httpPipeline(deps.log)
    .use(bearerAuth({ apiKeys: deps.config.bridgeApiKeys }))
    .handler(async (event) => {
      const found = await readThreads(deps, pathUserId(event));
      if (!found) throw new BridgeError("not_found", "No mapping for this user_id");
      return jsonResponse(200, contactMappingView(found));
    });
}
