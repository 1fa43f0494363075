// Lambda entry of POST /messages (spec §3.3): deps built once per cold start, the route from routes/.
import { inboundDeps } from "../compose/inbound-deps.js";
import { lambdaEntry } from "../compose/lambda-entry.js";
import { messagesPostRoute } from "../routes/messages-post.js";

export const handler = lambdaEntry(inboundDeps, messagesPostRoute);
