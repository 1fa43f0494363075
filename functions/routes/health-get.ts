// GET /health: liveness without authentication (spec §3.5).
import type { BaseDeps } from "../compose/deps.js";
import { jsonResponse } from "../edge/errors-http.js";
import type { HttpHandler } from "../edge/http-event.js";
import { httpPipeline } from "../edge/http-pipeline.js";

/** Only the log: the Lambda entry reads no configuration for it (compose/unconfigured-entry.ts). */
export function healthGetRoute(deps: Pick<BaseDeps, "log">): HttpHandler {
  return httpPipeline(deps.log).handler(async () => jsonResponse(200, { ok: true }));
}
