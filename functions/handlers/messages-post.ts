// Lambda entry of POST /messages (spec §3.3): deps built once per cold start, the route from routes/.
import { httpLambdaEntry } from "../compose/http-lambda-entry.js";
import { messagesDeps } from "../compose/inbound-queue-deps.js";
import { messagesPostRoute } from "../routes/messages-post.js";

export const handler = httpLambdaEntry(messagesDeps, messagesPostRoute);
