// GET /health: liveness without authentication (spec §3.5).
import type { BaseDeps } from "../compose/deps.js";
import { jsonResponse } from "../edge/errors-http.js";
import type { HttpHandler } from "../edge/http-event.js";
import { httpPipeline } from "../edge/http-pipeline.js";

export function healthGetRoute(deps: BaseDeps): HttpHandler {
  return httpPipeline(deps.log).handler(async () => jsonResponse(200, { ok: true }));
}
