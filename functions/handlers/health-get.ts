// Lambda entry of GET /health (spec §3.5): deps built once per cold start, the route from routes/.
import { baseDeps } from "../compose/deps.js";
import { httpLambdaEntry } from "../compose/http-lambda-entry.js";
import { healthGetRoute } from "../routes/health-get.js";

export const handler = httpLambdaEntry(baseDeps, healthGetRoute);
