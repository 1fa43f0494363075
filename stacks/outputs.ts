// The URL to paste into the Chatwoot API inbox's Webhook URL setting (spec §4), taken from the route manifest.
import { routes } from "./routes.js";

const webhookRoute = routes.find((route) => route.name === "ChatwootWebhook");
if (!webhookRoute)
  throw new Error("stacks/routes.ts has no ChatwootWebhook route: Chatwoot would have nowhere to send events");
const WEBHOOK_PATH = webhookRoute.path;

/**
 * Signed webhooks (Chatwoot 4.13+) need the bare URL. Unsigned ones carry the secret as ?token=, printed as a
 * placeholder so the secret never reaches a terminal or CI log.
 */
export function webhookUrl(apiUrl: $util.Input<string>, allowUnsigned: boolean): $util.Output<string> {
  const query = allowUnsigned ? "?token=<ChatwootWebhookSecret>" : "";
  return $interpolate`${apiUrl}${WEBHOOK_PATH}${query}`;
}
