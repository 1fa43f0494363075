// Chatwoot's X-Chatwoot-Signature (inbound, CONTRACT.md §4.2). Pure node:crypto. Outbound deliveries are signed
// by the `standardwebhooks` library in adapters/webhook-sender.ts (spec §5).
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

export function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** True when `timestampSeconds` is within `windowSeconds` of `nowMs` either way. */
export function isFreshTimestamp(timestampSeconds: number, nowMs: number, windowSeconds = 300): boolean {
  return Number.isFinite(timestampSeconds) && Math.abs(nowMs / 1000 - timestampSeconds) <= windowSeconds;
}
