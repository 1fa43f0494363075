// The OpenAPI 3.1 document of the bridge's routes (spec §6), built from the manifest (stacks/routes.ts), the zod
// schemas that validate the requests (functions/edge/inbound-schemas.ts) and the error table (§3.6).
import * as z from "zod/mini";
import { contactsPostBody, conversationsPostBody, userId } from "../../functions/edge/inbound-schemas.js";
import { messagesPostBody } from "../../functions/edge/message-body-schema.js";
import { STATUS } from "../../functions/edge/errors-http.js";
import { eventsPostBody } from "../../functions/edge/events-schemas.js";
import { routes } from "../../stacks/routes.js";
import {
  acceptedAnswer,
  contactAnswer,
  conversationAnswer,
  deliveries,
  ERROR_CODES,
  errorBody,
  eventAnswer,
  healthAnswer,
  mappingAnswer,
  messageAnswer,
} from "./schemas.js";

type Json = Record<string, unknown>;

/** What each manifest route takes and answers; a route missing here fails buildOpenApi (and its test). */
const OPERATIONS: Record<
  string,
  { summary: string; body?: z.ZodMiniType; ok: Record<number, z.ZodMiniType>; headers?: Json[] }
> = {
  "GET /health": { summary: "Liveness (no authentication)", ok: { 200: healthAnswer } },
  "POST /contacts": {
    summary: "Create or update a user's contact (spec §3.1)",
    body: contactsPostBody,
    ok: { 200: contactAnswer, 201: contactAnswer },
  },
  "GET /contacts/{user_id}": { summary: "Read a user's mapping (spec §3.4)", ok: { 200: mappingAnswer } },
  "POST /conversations": {
    summary: "Open (or get) the user's conversation (spec §3.2)",
    body: conversationsPostBody,
    ok: { 200: conversationAnswer, 201: conversationAnswer },
  },
  "POST /messages": {
    summary: "Post a user's message; message_id makes it idempotent (spec §3.3)",
    body: messagesPostBody,
    ok: { 200: messageAnswer, 201: messageAnswer, 202: acceptedAnswer },
    headers: [
      {
        name: "prefer",
        in: "header",
        required: false,
        description: "respond-async (RFC 7240): answered 202 before any Chatwoot call, posted later",
        schema: { type: "string" },
      },
    ],
  },
  "POST /events": {
    summary: "The user's typing, read receipts, edits and deletes (spec §3.7); typing answers 202",
    body: eventsPostBody,
    ok: { 200: eventAnswer, 202: eventAnswer },
  },
  "POST /webhooks/chatwoot": {
    summary: "Chatwoot's webhook, signed with X-Chatwoot-Signature (spec §4)",
    body: z.record(z.string(), z.unknown()),
    ok: { 200: z.object({ ok: z.literal(true), queued: z.boolean() }) },
  },
};

/** Which §3.6 errors a route can answer: every one but those its kind of route never produces. */
function errorCodes(method: string, path: string): string[] {
  if (path === "/health") return ["internal_error"];
  if (path === "/webhooks/chatwoot") {
    return ["invalid_json", "unauthorized", "payload_too_large", "unsupported_media_type", "internal_error"];
  }
  if (method === "GET") return ["unauthorized", "not_found", "internal_error"];
  // An unknown user, thread or message_id is 404 (spec §3.7).
  if (path === "/events") return [...ERROR_CODES];
  return ERROR_CODES.filter((code) => code !== "not_found");
}

const schema = (type: z.ZodMiniType, io: "input" | "output"): Json => {
  const { $schema: _, ...rest } = z.toJSONSchema(type, { target: "draft-2020-12", io, unrepresentable: "any" });
  return rest;
};

function responses(method: string, path: string, ok: Record<number, z.ZodMiniType>): Json {
  const answers: Json = {};
  for (const [status, type] of Object.entries(ok)) {
    answers[status] = { description: "Success", content: { "application/json": { schema: schema(type, "output") } } };
  }
  const byStatus = new Map<number, string[]>();
  for (const code of errorCodes(method, path)) {
    const status = STATUS[code as keyof typeof STATUS];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  for (const [status, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
    answers[String(status)] = {
      description: `Error: ${codes.join(", ")}`,
      ...(status === 503 ? { headers: { "Retry-After": { $ref: "#/components/headers/RetryAfter" } } } : {}),
      content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
    };
  }
  return answers;
}

export function buildOpenApi(): Json {
  const paths: Record<string, Json> = {};
  for (const route of routes) {
    const key = `${route.method} ${route.path}`;
    const operation = OPERATIONS[key];
    if (!operation) throw new Error(`The OpenAPI document does not describe ${key}`);
    const isPublic = route.path === "/health" || route.path === "/webhooks/chatwoot";
    paths[route.path] = {
      ...paths[route.path],
      [route.method.toLowerCase()]: {
        operationId: route.name,
        summary: operation.summary,
        ...(isPublic ? { security: [] } : {}),
        ...(route.path.includes("{user_id}")
          ? { parameters: [{ name: "user_id", in: "path", required: true, schema: schema(userId, "input") }] }
          : {}),
        ...(operation.headers ? { parameters: operation.headers } : {}),
        ...(operation.body
          ? {
              requestBody: {
                required: true,
                content: { "application/json": { schema: schema(operation.body, "input") } },
              },
            }
          : {}),
        responses: responses(route.method, route.path, operation.ok),
      },
    };
  }
  const webhooks: Json = {};
  for (const [type, body] of Object.entries(deliveries)) {
    webhooks[type] = {
      post: {
        summary: `Delivery ${type} to DELIVERY_URL, signed per Standard Webhooks (spec §5)`,
        parameters: ["webhook-id", "webhook-timestamp", "webhook-signature"].map((name) => ({
          name,
          in: "header",
          required: true,
          schema: { type: "string" },
        })),
        requestBody: { required: true, content: { "application/json": { schema: schema(body, "output") } } },
        responses: {
          "2XX": { description: "Delivered; the Chatwoot message is marked delivered" },
          "410": { description: "Gone: retrying stops at once and the message is marked failed" },
          default: { description: "Retried on DELIVERY_RETRY_SCHEDULE" },
        },
      },
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "chatwoot-bridge",
      version: "0.1.0",
      description: "Connects an external messaging system to a Chatwoot API channel inbox (docs/spec.md).",
      license: { name: "MIT", identifier: "MIT" },
    },
    servers: [{ url: "http://127.0.0.1:3000", description: "npm start" }],
    security: [{ bearer: [] }],
    paths,
    webhooks,
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer", description: "BRIDGE_API_KEY" } },
      headers: {
        RetryAfter: { description: "Seconds to wait before retrying", schema: { type: "integer", minimum: 0 } },
      },
      schemas: { Error: schema(errorBody, "output") },
    },
  };
}
