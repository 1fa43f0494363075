// httpRoute(): middy core plus our checks, in the spec's order: bearer -> size -> content type -> JSON -> schema -> domain.
import middy from "@middy/core";
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from "aws-lambda";
import type { z } from "zod/mini";
import type { Deps } from "../wiring.js";
import { getDeps } from "../wiring.js";
import type { Logger } from "../log.js";
import { errorFields } from "../log.js";
import { BridgeError } from "../core/errors.js";
import { errorResponse, jsonResponse } from "./errors-http.js";
import { checkBearer, checkJsonContentType, checkSize, parseJson, rawBody } from "./request-checks.js";
import { validate } from "./validate.js";

export interface RouteContext {
  deps: Deps;
  log: Logger;
  event: APIGatewayProxyEventV2;
}

export interface RouteResult {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface RouteOptions {
  /** Routes such as /health answer without the bearer key. */
  auth?: boolean;
  /** GET routes carry no body. */
  body?: boolean;
}

type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyResultV2>;

/** A JSON route: `input` is what the schema accepted (or the event itself for body-less routes). */
export function httpRoute<T>(
  schema: z.ZodMiniType<T> | undefined,
  run: (input: T, ctx: RouteContext) => Promise<RouteResult>,
  options: RouteOptions = {},
): Handler {
  const { auth = true, body = true } = options;
  return middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2, Error, Context>({ timeoutEarlyInMillis: 0 }).handler(
    async (event, context) => {
      const deps = await getDeps();
      const log = deps.log.child({ request_id: requestId(event, context), route: event.routeKey });
      const started = Date.now();
      try {
        if (auth) checkBearer(event, deps.config.bridgeApiKey);
        let input: unknown;
        if (body) {
          const raw = rawBody(event);
          checkSize(raw);
          checkJsonContentType(event);
          input = parseJson(raw);
        }
        const valid = schema ? validate(schema, input) : (input as T);
        const result = await run(valid, { deps, log, event });
        log.info("request.completed", { status: result.status, ms: Date.now() - started });
        return jsonResponse(result.status, result.body, result.headers);
      } catch (error) {
        const response = errorResponse(error);
        const status = typeof response === "object" ? response.statusCode : 500;
        const level = error instanceof BridgeError && (status ?? 500) < 500 ? "info" : "error";
        log[level]("request.failed", { status, ms: Date.now() - started, ...errorFields(error) });
        return response;
      }
    },
  );
}

export function requestId(event: APIGatewayProxyEventV2, context: Context | undefined): string {
  return event.requestContext?.requestId ?? context?.awsRequestId ?? "local";
}
