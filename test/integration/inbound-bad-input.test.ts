// Every rejection of spec §3.6 answers a clear JSON error before any side effect: no Chatwoot call, no mapping.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestBridge, type TestBridge } from "../support/bridge.js";

let t: TestBridge;
beforeAll(async () => {
  t = await startTestBridge();
});
afterAll(async () => t.close());

const USER = "bad-input-user";
const valid = { user_id: USER, message_id: "m-1", content: "hello" };
const big = "x".repeat(256 * 1024);

interface Case {
  name: string;
  method?: string;
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
  status: number;
  code: string;
  detailPath?: string;
}

const cases: Case[] = [
  { name: "unparsable JSON", path: "/messages", body: "{not json", status: 400, code: "invalid_json" },
  { name: "an empty body", path: "/messages", body: "", status: 400, code: "invalid_json" },
  {
    name: "a JSON array instead of an object",
    path: "/messages",
    body: [valid],
    status: 400,
    code: "validation_failed",
  },
  { name: "a JSON string", path: "/messages", body: '"hello"', status: 400, code: "validation_failed" },
  {
    name: "a missing user_id",
    path: "/messages",
    body: { message_id: "m", content: "x" },
    status: 400,
    code: "validation_failed",
    detailPath: "user_id",
  },
  {
    name: "a numeric user_id",
    path: "/messages",
    body: { ...valid, user_id: 42 },
    status: 400,
    code: "validation_failed",
    detailPath: "user_id",
  },
  {
    name: "an empty user_id",
    path: "/messages",
    body: { ...valid, user_id: "" },
    status: 400,
    code: "validation_failed",
    detailPath: "user_id",
  },
  {
    name: "a 256-character user_id",
    path: "/messages",
    body: { ...valid, user_id: "u".repeat(256) },
    status: 400,
    code: "validation_failed",
    detailPath: "user_id",
  },
  {
    name: "a huge user_id",
    path: "/contacts",
    body: { user_id: "u".repeat(100_000) },
    status: 400,
    code: "validation_failed",
    detailPath: "user_id",
  },
  {
    name: "a user_id with a control character",
    path: "/messages",
    body: { ...valid, user_id: "u\u0000x" },
    status: 400,
    code: "validation_failed",
    detailPath: "user_id",
  },
  {
    name: "neither content nor attachments",
    path: "/messages",
    body: { user_id: USER, message_id: "m" },
    status: 400,
    code: "validation_failed",
    detailPath: "content",
  },
  {
    name: "blank content and no attachments",
    path: "/messages",
    body: { user_id: USER, content: "   " },
    status: 400,
    code: "validation_failed",
    detailPath: "content",
  },
  {
    name: "numeric content",
    path: "/messages",
    body: { ...valid, content: 5 },
    status: 400,
    code: "validation_failed",
    detailPath: "content",
  },
  {
    name: "a numeric message_id",
    path: "/messages",
    body: { ...valid, message_id: 7 },
    status: 400,
    code: "validation_failed",
    detailPath: "message_id",
  },
  {
    name: "an unknown field",
    path: "/messages",
    body: { ...valid, text: "hi" },
    status: 400,
    code: "validation_failed",
    detailPath: "(body)",
  },
  {
    name: "an unknown field inside contact",
    path: "/messages",
    body: { ...valid, contact: { nickname: "x" } },
    status: 400,
    code: "validation_failed",
    detailPath: "contact",
  },
  {
    name: "content over Chatwoot's 150,000 characters",
    path: "/messages",
    body: { ...valid, content: "y".repeat(150_001) },
    status: 400,
    code: "validation_failed",
    detailPath: "content",
  },
  {
    name: "16 attachments",
    path: "/messages",
    body: {
      ...valid,
      attachments: Array.from({ length: 16 }, () => ({ data: "aGk=", filename: "a.txt", content_type: "text/plain" })),
    },
    status: 400,
    code: "validation_failed",
    detailPath: "attachments",
  },
  {
    name: "an http (not https) attachment URL",
    path: "/messages",
    body: { ...valid, attachments: [{ url: "http://cdn.example.com/a.png" }] },
    status: 400,
    code: "validation_failed",
    detailPath: "attachments.0.url",
  },
  {
    name: "attachments that is not an array",
    path: "/messages",
    body: { ...valid, attachments: { url: "https://cdn.example.com/a.png" } },
    status: 400,
    code: "validation_failed",
    detailPath: "attachments",
  },
  {
    name: "an invalid email",
    path: "/contacts",
    body: { user_id: USER, email: "not-an-email" },
    status: 400,
    code: "validation_failed",
    detailPath: "email",
  },
  {
    name: "a phone number that is not E.164",
    path: "/contacts",
    body: { user_id: USER, phone_number: "0151 1234" },
    status: 400,
    code: "validation_failed",
    detailPath: "phone_number",
  },
  {
    name: "a non-https avatar_url",
    path: "/contacts",
    body: { user_id: USER, avatar_url: "javascript:alert(1)" },
    status: 400,
    code: "validation_failed",
    detailPath: "avatar_url",
  },
  {
    name: "custom_attributes that is a string",
    path: "/contacts",
    body: { user_id: USER, custom_attributes: "pro" },
    status: 400,
    code: "validation_failed",
    detailPath: "custom_attributes",
  },
  {
    name: "contact that is a string on /conversations",
    path: "/conversations",
    body: { user_id: USER, contact: "Ada" },
    status: 400,
    code: "validation_failed",
    detailPath: "contact",
  },
  {
    name: "an unknown field on /conversations",
    path: "/conversations",
    body: { user_id: USER, status: "open" },
    status: 400,
    code: "validation_failed",
    detailPath: "(body)",
  },
  {
    name: "a body over 256 KiB",
    path: "/messages",
    body: { ...valid, content: big },
    status: 413,
    code: "payload_too_large",
  },
  {
    name: "a missing bearer key",
    path: "/messages",
    body: valid,
    headers: { authorization: "" },
    status: 401,
    code: "unauthorized",
  },
  {
    name: "a wrong bearer key",
    path: "/messages",
    body: valid,
    headers: { authorization: "Bearer wrong-key-wrong-key-wrong" },
    status: 401,
    code: "unauthorized",
  },
  {
    name: "a Basic instead of Bearer scheme",
    path: "/contacts",
    body: { user_id: USER },
    headers: { authorization: "Basic dXNlcjpwYXNz" },
    status: 401,
    code: "unauthorized",
  },
  {
    name: "a text/plain content type",
    path: "/messages",
    body: valid,
    headers: { "content-type": "text/plain" },
    status: 415,
    code: "unsupported_media_type",
  },
  {
    name: "a form content type",
    path: "/conversations",
    body: "user_id=x",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    status: 415,
    code: "unsupported_media_type",
  },
  {
    name: "no content type",
    path: "/contacts",
    body: { user_id: USER },
    headers: { "content-type": "" },
    status: 415,
    code: "unsupported_media_type",
  },
  {
    name: "a wrong key on a read",
    method: "GET",
    path: `/contacts/${USER}`,
    headers: { authorization: "Bearer nope" },
    status: 401,
    code: "unauthorized",
  },
  { name: "an unknown route", method: "POST", path: "/users", body: valid, status: 404, code: "not_found" },
  { name: "a wrong method on a known path", method: "DELETE", path: "/messages", status: 404, code: "not_found" },
  {
    name: "a malformed percent-encoding in the path",
    method: "GET",
    path: "/contacts/%E0%A4%A",
    status: 400,
    code: "validation_failed",
    detailPath: "user_id",
  },
];

describe("bad input changes nothing", () => {
  it.each(cases)("answers $status $code for $name, with no Chatwoot call and no mapping", async (c) => {
    t.bridge.sandbox?.resetCalls();
    const answer = await t.api(c.method ?? "POST", c.path, c.body, c.headers);
    expect(answer.status).toBe(c.status);
    expect(answer.headers.get("content-type")).toMatch(/^application\/json/);
    const error = (answer.body as { error: { code: string; message: string; details?: Array<{ path: string }> } })
      .error;
    expect(error.code).toBe(c.code);
    expect(error.message.length).toBeGreaterThan(0);
    if (c.detailPath) expect(error.details?.map((d) => d.path)).toContain(c.detailPath);
    expect(t.bridge.sandbox?.calls()).toEqual({});
    const mapping = await t.api("GET", `/contacts/${USER}`);
    expect(mapping.status).toBe(404);
  });

  it("refuses an unknown user on GET /contacts/{user_id} with 404 not_found", async () => {
    const answer = await t.api("GET", "/contacts/nobody%20here");
    expect(answer.status).toBe(404);
    expect(answer.body).toEqual({ error: { code: "not_found", message: "No mapping for this user_id" } });
  });

  it("answers GET /health without a key", async () => {
    const response = await fetch(`${t.bridge.url}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
  });
});
