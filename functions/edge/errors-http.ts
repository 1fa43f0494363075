// The one table from BridgeError code to HTTP status, and the spec's error body (§3.6).
import type { APIGatewayProxyResultV2 } from "aws-lambda";
import { BridgeError, ChatwootError, toBridgeError, type ErrorCode } from "../core/errors.js";

const STATUS: Record<ErrorCode, number> = {
  invalid_json: 400,
  validation_failed: 400,
  unauthorized: 401,
  not_found: 404,
  idempotency_conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  chatwoot_rejected: 422,
  chatwoot_error: 502,
  chatwoot_unavailable: 503,
  chatwoot_timeout: 504,
  internal_error: 500,
};

export function jsonResponse(
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): APIGatewayProxyResultV2 {
  return {
    statusCode,
    headers: { "content-type": "application/json", "cache-control": "no-store", ...headers },
    body: JSON.stringify(body),
  };
}

/** Any thrown value → the JSON error response. Unknown errors become a fixed 500 message, never a stack. */
export function errorResponse(error: unknown): APIGatewayProxyResultV2 {
  const bridgeError =
    error instanceof BridgeError
      ? error
      : error instanceof ChatwootError
        ? toBridgeError(error)
        : new BridgeError("internal_error", "Internal error");
  const headers: Record<string, string> = {};
  if (bridgeError.retryAfterSeconds !== undefined) headers["retry-after"] = String(bridgeError.retryAfterSeconds);
  const body = {
    error: {
      code: bridgeError.code,
      message: bridgeError.message,
      ...(bridgeError.details ? { details: bridgeError.details } : {}),
    },
  };
  return jsonResponse(STATUS[bridgeError.code], body, headers);
}

export function statusOf(code: ErrorCode): number {
  return STATUS[code];
}
