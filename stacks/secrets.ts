// Every secret of spec §2 in one object, under the SST names functions/compose/config-source.ts reads.
// Set each with `npx sst secret set <Name> <value> --stage <stage>`; a missing one stops the deploy.
import { checkSecretValues } from "./deploy-settings.js";
import { settings } from "./settings.js";

export const secrets = {
  ChatwootApiToken: new sst.Secret("ChatwootApiToken"),
  ChatwootWebhookSecret: new sst.Secret("ChatwootWebhookSecret"),
  BridgeApiKey: new sst.Secret("BridgeApiKey"),
  DeliverySecret: new sst.Secret("DeliverySecret"),
};

// A malformed value (a short key, a DELIVERY_SECRET without whsec_) fails the deploy, not every cold start.
$resolve({
  chatwootApiToken: secrets.ChatwootApiToken.value,
  chatwootWebhookSecret: secrets.ChatwootWebhookSecret.value,
  bridgeApiKey: secrets.BridgeApiKey.value,
  deliverySecret: secrets.DeliverySecret.value,
}).apply((values) => checkSecretValues(settings, values));
