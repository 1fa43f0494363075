// GET /health: liveness without authentication (spec §3.5).
import type { UnconfiguredDeps } from "../compose/unconfigured-entry.js";
import { jsonResponse } from "../edge/errors-http.js";
import type { HttpHandler } from "../edge/http-event.js";
import { httpPipeline } from "../edge/http-pipeline.js";

export function healthGetRoute(deps: UnconfiguredDeps): HttpHandler {
  return httpPipeline(deps.log).handler(async () => jsonResponse(200, { ok: true }));
}
