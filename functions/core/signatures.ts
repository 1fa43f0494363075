// Both signature schemes the bridge meets: Chatwoot's X-Chatwoot-Signature (inbound, CONTRACT.md §4.2)
// and Standard Webhooks (outbound deliveries, spec §5). Pure node:crypto.
import { createHmac, timingSafeEqual } from "node:crypto";

/** `sha256=` + hex HMAC-SHA256(secret, "<timestamp>.<raw body>"). */
export function chatwootSignature(secret: string, timestamp: string, rawBody: Uint8Array): string {
  const hmac = createHmac("sha256", secret).update(`${timestamp}.`).update(rawBody);
  return `sha256=${hmac.digest("hex")}`;
}

export function isValidChatwootSignature(
  secret: string,
  timestamp: string,
  rawBody: Uint8Array,
  header: string,
): boolean {
  return constantTimeEqual(chatwootSignature(secret, timestamp, rawBody), header.trim());
}

/** `v1,` + base64 HMAC-SHA256(secret bytes, "<id>.<timestamp>.<body>"). */
export function standardWebhookSignature(
  secret: Uint8Array,
  webhookId: string,
  timestampSeconds: number,
  body: string,
): string {
  const hmac = createHmac("sha256", secret).update(`${webhookId}.${timestampSeconds}.${body}`);
  return `v1,${hmac.digest("base64")}`;
}

/** Verifies a `webhook-signature` header, which may list several space-separated signatures (key rotation). */
export function isValidStandardWebhookSignature(
  secret: Uint8Array,
  webhookId: string,
  timestampSeconds: number,
  body: string,
  header: string,
): boolean {
  const expected = standardWebhookSignature(secret, webhookId, timestampSeconds, body);
  return header.split(" ").some((candidate) => constantTimeEqual(expected, candidate));
}

export function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** True when `timestampSeconds` is within `windowSeconds` of `nowMs` either way. */
export function isFreshTimestamp(timestampSeconds: number, nowMs: number, windowSeconds = 300): boolean {
  return Number.isFinite(timestampSeconds) && Math.abs(nowMs / 1000 - timestampSeconds) <= windowSeconds;
}
