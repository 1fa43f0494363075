// GET /health: liveness without authentication (spec §3.5).
import { httpRoute } from "../edge/route.js";

export const handler = httpRoute(undefined, async () => ({ status: 200, body: { ok: true } }), {
  auth: false,
  body: false,
});
