// The middy pipeline of every HTTP route: the error middleware first, then the route's checks in the spec's order.
import middy from "@middy/core";
import type { APIGatewayProxyResultV2, Context } from "aws-lambda";
import type { z } from "zod/mini";
import type { Config } from "../config.js";
import type { Logger } from "../log.js";
import { jsonErrors, type JsonErrorsOptions } from "./errors-http.js";
import type { HttpEvent, HttpMiddleware, RequestTiming } from "./http-event.js";
import { bearerAuth, bodyLimit, jsonBody, jsonContentType, strictSchema, type StrictSchema } from "./request-checks.js";

/**
 * `timeoutEarlyInMillis: 0`: middy shares one AbortController per module, so an early timeout of one request
 * could abort another one running beside it locally (STYLE.md §8); Lambda's own timeout still applies.
 */
export function httpPipeline(log: Logger, errors: Partial<JsonErrorsOptions> = {}) {
  return middy<HttpEvent, APIGatewayProxyResultV2, Error, Context, RequestTiming>({ timeoutEarlyInMillis: 0 }).use(
    jsonErrors({ log, ...errors }),
  );
}

export interface JsonRequest<T> {
  /** bearer -> size -> content type -> JSON -> strict schema, for `.use()`. */
  checks: HttpMiddleware[];
  body: StrictSchema<T>;
}

/** The checks of an authenticated JSON route; `body.inputOf(event)` is then what the schema accepted. */
export function jsonRequest<T>(config: Pick<Config, "bridgeApiKeys">, schema: z.ZodMiniType<T>): JsonRequest<T> {
  const body = strictSchema({ schema });
  return {
    checks: [bearerAuth({ apiKeys: config.bridgeApiKeys }), bodyLimit(), jsonContentType(), jsonBody(), body],
    body,
  };
}
