// Lambda entry of POST /webhooks/chatwoot (spec §4): deps built once per cold start, the route from routes/.
import { webhookDeps } from "../compose/webhook-deps.js";
import { lambdaEntry } from "../compose/lambda-entry.js";
import { webhooksChatwootPostRoute } from "../routes/webhooks-chatwoot-post.js";

export const handler = lambdaEntry(webhookDeps, webhooksChatwootPostRoute);
