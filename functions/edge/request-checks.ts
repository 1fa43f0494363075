// The request checks as middy middlewares, in the spec's order: bearer key -> body size -> content type -> JSON
// -> strict schema. Each refuses with a BridgeError before the handler runs; each merges options over defaults.
import { createHash, timingSafeEqual } from "node:crypto";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import type { z } from "zod/mini";
import { BridgeError } from "../core/errors.js";
import type { HttpEvent, HttpMiddleware } from "./http-event.js";
import { MAX_JSON_DEPTH, readStrictJson, readUtf8 } from "./strict-json.js";
import { validate } from "./validate.js";

/** Spec §3: bodies are at most 256 KiB. */
export const MAX_BODY_BYTES = 256 * 1024;

/** Constant time whatever the lengths: both sides are hashed to 32 bytes first. */
export function safeEqual(a: string, b: string): boolean {
  const left = createHash("sha256").update(a).digest();
  const right = createHash("sha256").update(b).digest();
  return timingSafeEqual(left, right) && a.length === b.length;
}

/** The body's raw bytes, decoded once from API Gateway's base64 when flagged. */
export function rawBody(event: HttpEvent): Buffer {
  if (event.rawBody) return event.rawBody;
  if (event.body === undefined || event.body === null) return Buffer.alloc(0);
  return event.isBase64Encoded ? Buffer.from(event.body, "base64") : Buffer.from(event.body, "utf8");
}

/** Any of the keys (spec §2: several during a rotation); every key is compared, so the time tells none of them. */
export function bearerAuth(options: { apiKeys: readonly string[] }): HttpMiddleware {
  return {
    before: ({ event }) => {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(event.headers?.authorization ?? "");
      const given = match?.[1] ?? "";
      const matches = options.apiKeys.reduce((found, key) => safeEqual(given, key) || found, false);
      if (!given || !matches) throw new BridgeError("unauthorized", "Missing or wrong bearer key");
    },
  };
}

const bodyLimitDefaults = { maxBytes: MAX_BODY_BYTES };

export function bodyLimit(opts: Partial<typeof bodyLimitDefaults> = {}): HttpMiddleware {
  const { maxBytes } = { ...bodyLimitDefaults, ...opts };
  return {
    before: ({ event }) => {
      const body = rawBody(event);
      if (body.length > maxBytes) throw new BridgeError("payload_too_large", `Body is larger than ${maxBytes} bytes`);
      event.rawBody = body;
    },
  };
}

/** application/json, with no charset or UTF-8's: a body in another charset would be decoded into other text. */
export function jsonContentType(): HttpMiddleware {
  return {
    before: ({ event }) => {
      const { type, charset } = mediaType(event);
      if (type !== "application/json")
        throw new BridgeError("unsupported_media_type", "Content-Type must be application/json");
      if (charset !== undefined && charset !== "utf-8" && charset !== "utf8")
        throw new BridgeError(
          "unsupported_media_type",
          `Content-Type charset must be utf-8 (got ${charset.replace(/[^\w.:-]/g, "?").slice(0, 40)})`,
        );
    },
  };
}

function mediaType(event: APIGatewayProxyEventV2): { type: string | undefined; charset: string | undefined } {
  const [type, ...params] = (event.headers?.["content-type"] ?? "").split(";");
  const charset = params
    .map((param) => /^\s*charset\s*=\s*"?([^";]*)"?\s*$/i.exec(param)?.[1])
    .find((value) => value !== undefined);
  return { type: type?.trim().toLowerCase(), charset: charset?.trim().toLowerCase() };
}

const jsonBodyDefaults = { maxDepth: MAX_JSON_DEPTH, strict: true };

/**
 * Our own parser: bad JSON is 400 invalid_json (middy's answers 415); the raw body stays. `strict` reads with
 * strict-json.ts (duplicate keys, unsafe numbers, depth); `strict: false` only insists on UTF-8, for Chatwoot's
 * signed webhooks: Chatwoot never sends one again (CONTRACT.md §4.3), so refusing one would lose an agent reply.
 */
export function jsonBody(opts: Partial<typeof jsonBodyDefaults> = {}): HttpMiddleware {
  const { maxDepth, strict } = { ...jsonBodyDefaults, ...opts };
  return {
    before: ({ event }) => {
      const body = rawBody(event);
      if (body.length === 0) throw new BridgeError("invalid_json", "Body is empty; a JSON object is expected");
      event.json = strict ? readStrictJson(body, { maxDepth }) : parseJson(readUtf8(body));
    },
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new BridgeError("invalid_json", "Body is not valid JSON");
  }
}

export interface StrictSchema<T> extends HttpMiddleware {
  /** What the schema accepted for this event (the handler runs only after it did). */
  inputOf(event: HttpEvent): T;
}

/** Unknown fields are refused (the schemas are strict objects); the accepted value is kept per event. */
export function strictSchema<T>(options: { schema: z.ZodMiniType<T> }): StrictSchema<T> {
  const accepted = new WeakMap<HttpEvent, { value: T }>();
  return {
    before: ({ event }) => {
      accepted.set(event, { value: validate(options.schema, event.json) });
    },
    inputOf: (event) => {
      const entry = accepted.get(event);
      if (!entry) throw new Error("strictSchema has not checked this event");
      return entry.value;
    },
  };
}
