// The sandbox's HTTP plumbing: reading Rails-style params from the query and a JSON, urlencoded or
// multipart body, and writing JSON (ActiveSupport-encoded), plain-text or empty replies.
import type { IncomingMessage, ServerResponse } from "node:http";
import { activeSupportJson } from "./encode.js";
import { ApiError } from "./errors.js";
import { FileParam, setNested, type ParamObject } from "./params.js";

export interface Reply {
  status: number;
  /** JSON body; omitted for an empty reply. */
  body?: unknown;
  /** Plain-text body (rack-attack's "Retry later\n"). */
  text?: string;
  headers?: Record<string, string>;
}

export function json(body: unknown, status = 200): Reply {
  return { status, body };
}

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}

/** Query string and body merged, body winning, as in Rails' `params`. */
export async function readParams(url: URL, contentType: string, body: Buffer): Promise<ParamObject> {
  const params: ParamObject = {};
  for (const [key, value] of url.searchParams) setNested(params, key, value);
  if (body.length === 0) return params;
  const type = contentType.toLowerCase();
  if (type.startsWith("application/json")) {
    Object.assign(params, parseJsonBody(body));
  } else if (type.startsWith("multipart/form-data")) {
    const form = await new Request("http://sandbox.local/", {
      method: "POST",
      headers: { "content-type": contentType },
      body,
    }).formData();
    for (const [key, value] of form) {
      if (typeof value === "string") setNested(params, key, value);
      else
        setNested(
          params,
          key,
          new FileParam(
            value.name,
            value.type || "application/octet-stream",
            new Uint8Array(await value.arrayBuffer()),
          ),
        );
    }
  } else if (type.startsWith("application/x-www-form-urlencoded")) {
    for (const [key, value] of new URLSearchParams(body.toString("utf8"))) setNested(params, key, value);
  }
  return params;
}

/** Rails answers unparseable JSON with 400 before any controller runs; a bare array becomes `_json`. */
function parseJsonBody(body: Buffer): ParamObject {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString("utf8"));
  } catch {
    throw new ApiError(400, { status: 400, error: "Bad Request" });
  }
  if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) return toParamObject(parsed);
  return toParamObject({ _json: parsed });
}

function toParamObject(value: object): ParamObject {
  // JSON.parse yields only JSON values, which are all valid params.
  const result: ParamObject = {};
  for (const [key, entry] of Object.entries(value)) result[key] = toParam(entry);
  return result;
}

function toParam(value: unknown): ParamObject[string] {
  if (Array.isArray(value)) return value.map(toParam);
  if (typeof value === "object" && value !== null) return toParamObject(value);
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value;
  return null;
}

export function writeReply(res: ServerResponse, reply: Reply): void {
  if (res.writableEnded || res.destroyed) return;
  const headers: Record<string, string> = { ...reply.headers };
  let payload = "";
  if (reply.text !== undefined) {
    headers["content-type"] ??= "text/plain";
    payload = reply.text;
  } else if (reply.body !== undefined) {
    headers["content-type"] = "application/json; charset=utf-8";
    payload = activeSupportJson(reply.body);
  }
  headers["content-length"] = String(Buffer.byteLength(payload));
  res.writeHead(reply.status, headers);
  res.end(payload);
}
