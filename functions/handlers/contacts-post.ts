// Lambda entry of POST /contacts (spec §3.1): deps built once per cold start, the route from routes/.
import { inboundDeps } from "../compose/inbound-deps.js";
import { httpLambdaEntry } from "../compose/http-lambda-entry.js";
import { contactsPostRoute } from "../routes/contacts-post.js";

export const handler = httpLambdaEntry(inboundDeps, contactsPostRoute);
