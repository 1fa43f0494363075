// Request checks in the spec's order: bearer key, body size, content type, JSON. Each throws a BridgeError.
import { timingSafeEqual, createHash } from "node:crypto";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { BridgeError } from "../core/errors.js";

/** Spec §3: bodies are at most 256 KiB. */
export const MAX_BODY_BYTES = 256 * 1024;

/** Constant time whatever the lengths: both sides are hashed to 32 bytes first. */
export function safeEqual(a: string, b: string): boolean {
  const left = createHash("sha256").update(a).digest();
  const right = createHash("sha256").update(b).digest();
  return timingSafeEqual(left, right) && a.length === b.length;
}

export function checkBearer(event: APIGatewayProxyEventV2, apiKey: string): void {
  const header = event.headers?.authorization ?? "";
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match?.[1] || !safeEqual(match[1], apiKey)) {
    throw new BridgeError("unauthorized", "Missing or wrong bearer key");
  }
}

/** The body's raw bytes, decoded once from API Gateway's base64 when flagged. */
export function rawBody(event: APIGatewayProxyEventV2): Buffer {
  if (event.body === undefined || event.body === null) return Buffer.alloc(0);
  return event.isBase64Encoded ? Buffer.from(event.body, "base64") : Buffer.from(event.body, "utf8");
}

export function checkSize(body: Buffer, maxBytes = MAX_BODY_BYTES): void {
  if (body.length > maxBytes) {
    throw new BridgeError("payload_too_large", `Body is larger than ${maxBytes} bytes`);
  }
}

export function checkJsonContentType(event: APIGatewayProxyEventV2): void {
  const type = (event.headers?.["content-type"] ?? "").split(";")[0]?.trim().toLowerCase();
  if (type !== "application/json") {
    throw new BridgeError("unsupported_media_type", "Content-Type must be application/json");
  }
}

export function parseJson(body: Buffer): unknown {
  if (body.length === 0) throw new BridgeError("invalid_json", "Body is empty; a JSON object is expected");
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    throw new BridgeError("invalid_json", "Body is not valid JSON");
  }
}
