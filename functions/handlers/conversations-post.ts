// Lambda entry of POST /conversations (spec §3.2): deps built once per cold start, the route from routes/.
import { inboundDeps } from "../compose/inbound-deps.js";
import { httpLambdaEntry } from "../compose/http-lambda-entry.js";
import { conversationsPostRoute } from "../routes/conversations-post.js";

export const handler = httpLambdaEntry(inboundDeps, conversationsPostRoute);
