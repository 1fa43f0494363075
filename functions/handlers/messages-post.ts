// Lambda entry of POST /messages (spec §3.3): deps built once per cold start, the route from routes/.
import { inboundDeps } from "../compose/inbound-deps.js";
import { httpLambdaEntry } from "../compose/http-lambda-entry.js";
import { messagesPostRoute } from "../routes/messages-post.js";

export const handler = httpLambdaEntry(inboundDeps, messagesPostRoute);
