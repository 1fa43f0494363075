// Verifies a Chatwoot webhook before anything parses it (spec §4, CONTRACT.md §4.2): X-Chatwoot-Signature over the
// raw bytes with a ±5 min timestamp window, or — only when unsigned webhooks are allowed — the URL's ?token=.
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import type { Config } from "../config.js";
import { BridgeError } from "../core/errors.js";
import type { Clock } from "../core/ports.js";
import { isFreshTimestamp, isValidChatwootSignature } from "../core/signatures.js";
import type { HttpMiddleware } from "./http-event.js";
import { rawBody, safeEqual } from "./request-checks.js";

/** A captured webhook older (or newer) than this is refused, so it cannot be replayed. */
export const TIMESTAMP_WINDOW_SECONDS = 300;

export type WebhookAuth = "signed" | "token";

type WebhookAuthConfig = Pick<Config, "chatwootWebhookSecret" | "chatwootWebhookAllowUnsigned">;

/** Checks the raw bytes before anything parses them; `event.webhookAuth` then says how the request was accepted. */
export function webhookSignature(options: { config: WebhookAuthConfig; clock: Clock }): HttpMiddleware {
  return {
    before: ({ event }) => {
      event.webhookAuth = verifyWebhook(event, rawBody(event), options.config, options.clock.now());
    },
  };
}

export function verifyWebhook(
  event: APIGatewayProxyEventV2,
  raw: Buffer,
  config: WebhookAuthConfig,
  nowMs: number,
): WebhookAuth {
  const secret = config.chatwootWebhookSecret;
  const signature = event.headers?.["x-chatwoot-signature"];
  const timestamp = event.headers?.["x-chatwoot-timestamp"];
  if (signature !== undefined || timestamp !== undefined) {
    if (!secret || !signature || !timestamp || !/^\d{1,12}$/.test(timestamp.trim()))
      throw refuse("malformed signature headers");
    if (!isFreshTimestamp(Number(timestamp), nowMs, TIMESTAMP_WINDOW_SECONDS))
      throw refuse("stale or future timestamp");
    if (!isValidChatwootSignature(secret, timestamp.trim(), raw, signature)) throw refuse("bad signature");
    return "signed";
  }
  if (config.chatwootWebhookAllowUnsigned && secret) {
    const token = event.queryStringParameters?.token ?? "";
    if (token && safeEqual(token, secret)) return "token";
  }
  throw refuse("unsigned");
}

function refuse(reason: string): BridgeError {
  return new BridgeError("unauthorized", `Webhook refused: ${reason}`);
}
