// Lambda entry of GET /health (spec §3.5): liveness, so it reads no configuration; the route from routes/.
import { unconfiguredEntry } from "../compose/unconfigured-entry.js";
import { healthGetRoute } from "../routes/health-get.js";

export const handler = unconfiguredEntry(healthGetRoute);
