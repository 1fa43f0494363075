// The event our HTTP middlewares pass along: API Gateway's, plus what the checks read from it. The raw body
// stays as it came (the webhook signature is over those bytes); nothing replaces `event.body`.
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from "aws-lambda";
import type { MiddlewareObj } from "@middy/core";
import type { WebhookAuth } from "./webhook-auth.js";

export interface HttpEvent extends APIGatewayProxyEventV2 {
  /** The body's bytes, decoded once from API Gateway's base64 by the size check. */
  rawBody?: Buffer;
  /** What the JSON middleware parsed, before the schema checks it. */
  json?: unknown;
  /** How the webhook signature middleware accepted the request. */
  webhookAuth?: WebhookAuth;
}

export type HttpHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyResultV2>;

/** Per request: when it started, for `ms` in the request's log line. */
export type RequestTiming = { startedMs?: number };

export type HttpMiddleware = MiddlewareObj<HttpEvent, APIGatewayProxyResultV2, Error, Context, RequestTiming>;
