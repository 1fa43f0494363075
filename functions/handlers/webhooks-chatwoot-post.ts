// Lambda entry of POST /webhooks/chatwoot (spec §4): deps built once per cold start, the route from routes/.
import { webhookDeps } from "../compose/webhook-deps.js";
import { httpLambdaEntry } from "../compose/http-lambda-entry.js";
import { webhooksChatwootPostRoute } from "../routes/webhooks-chatwoot-post.js";

export const handler = httpLambdaEntry(webhookDeps, webhooksChatwootPostRoute);
