// Posts a webhook to the bridge the way Chatwoot does (CONTRACT.md §4.2): raw bytes, signed "<timestamp>.<body>".
import { randomUUID } from "node:crypto";
import { chatwootSignature } from "../../functions/core/signatures.js";

export interface WebhookPostOptions {
  secret?: string;
  timestampSeconds?: number;
  headers?: Record<string, string | undefined>;
  query?: string;
  /** Sign these bytes but send `body` (to tamper). */
  signedBody?: string;
}

export async function postWebhook(
  bridgeUrl: string,
  body: string,
  options: WebhookPostOptions = {},
): Promise<Response> {
  const timestamp = String(options.timestampSeconds ?? Math.floor(Date.now() / 1000));
  const headers: Record<string, string> = {
    "content-type": "application/json",
    accept: "application/json",
    "x-chatwoot-delivery": randomUUID(),
  };
  if (options.secret !== undefined) {
    headers["x-chatwoot-timestamp"] = timestamp;
    headers["x-chatwoot-signature"] = chatwootSignature(
      options.secret,
      timestamp,
      Buffer.from(options.signedBody ?? body),
    );
  }
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    if (value === undefined) delete headers[name];
    else headers[name] = value;
  }
  return fetch(`${bridgeUrl}/webhooks/chatwoot${options.query ?? ""}`, { method: "POST", headers, body });
}
