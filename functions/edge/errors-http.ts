// The one table from BridgeError code to HTTP status, the spec's error body (§3.6), and the one middleware that
// turns any error into that body and logs each request's outcome.
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from "aws-lambda";
import { BridgeError, ChatwootError, toBridgeError, type ErrorCode } from "../core/errors.js";
import { errorFields, log as rootLog, type Logger } from "../log.js";
import type { HttpMiddleware } from "./http-event.js";

/** Exported for the OpenAPI document (dev/openapi/), which lists every code a route may answer. */
export const STATUS: Record<ErrorCode, number> = {
  invalid_json: 400,
  validation_failed: 400,
  unauthorized: 401,
  not_found: 404,
  idempotency_conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  chatwoot_rejected: 422,
  chatwoot_error: 502,
  in_progress: 503,
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
  const bridgeError = bridgeErrorOf(error);
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

/** What the client is told for any thrown value (its code names the refusal in logs and metrics). */
export function bridgeErrorOf(error: unknown): BridgeError {
  if (error instanceof BridgeError) return error;
  if (error instanceof ChatwootError) return toBridgeError(error);
  return new BridgeError("internal_error", "Internal error");
}

export interface JsonErrorsOptions {
  log: Logger;
  /** Logged with status and ms after a response; false for routes that log their own outcome. */
  completedEvent: string | false;
  failedEvent: string;
  /** The level of a refusal (a BridgeError below 500, or `in_progress`); anything else is logged as an error. */
  refusedLevel: "info" | "warn";
}

const jsonErrorsDefaults: JsonErrorsOptions = {
  log: rootLog,
  completedEvent: "request.completed",
  failedEvent: "request.failed",
  refusedLevel: "info",
};

/** Use it first: its onError then runs after every other middleware's, and answers for all of them. */
export function jsonErrors(opts: Partial<JsonErrorsOptions> = {}): HttpMiddleware {
  const options = { ...jsonErrorsDefaults, ...opts };
  return {
    before: (request) => {
      request.internal.startedMs = Date.now();
    },
    after: ({ event, context, response, internal }) => {
      if (options.completedEvent === false) return;
      const status = typeof response === "object" && response ? response.statusCode : 200;
      requestLog(options.log, event, context).info(options.completedEvent, { status, ms: elapsed(internal) });
    },
    onError: (request) => {
      const response = errorResponse(request.error);
      const status = typeof response === "object" ? (response.statusCode ?? 500) : 500;
      // Another request still posting the same message or setting up the same user is routine, not a fault.
      const refused = request.error instanceof BridgeError && (status < 500 || request.error.code === "in_progress");
      const level = refused ? options.refusedLevel : "error";
      requestLog(options.log, request.event, request.context)[level](options.failedEvent, {
        status,
        ms: elapsed(request.internal),
        ...errorFields(request.error),
      });
      request.response = response;
    },
  };
}

function elapsed(timing: { startedMs?: number }): number {
  return Date.now() - (timing.startedMs ?? Date.now());
}

/** The log of one request: every line carries its request id and route. */
export function requestLog(log: Logger, event: APIGatewayProxyEventV2, context: Context | undefined): Logger {
  return log.child({
    request_id: event.requestContext?.requestId ?? context?.awsRequestId ?? "local",
    route: event.routeKey,
  });
}
