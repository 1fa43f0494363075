// Lambda entry of POST /events (spec §3.7): deps built once per cold start, the route from routes/.
import { inboundDeps } from "../compose/inbound-deps.js";
import { httpLambdaEntry } from "../compose/http-lambda-entry.js";
import { eventsPostRoute } from "../routes/events-post.js";

export const handler = httpLambdaEntry(inboundDeps, eventsPostRoute);
