// Lambda entry of GET /contacts/{user_id} (spec §3.4): deps built once per cold start, the route from routes/.
import { storeDeps } from "../compose/store-deps.js";
import { httpLambdaEntry } from "../compose/http-lambda-entry.js";
import { contactsGetRoute } from "../routes/contacts-get.js";

export const handler = httpLambdaEntry(storeDeps, contactsGetRoute);
