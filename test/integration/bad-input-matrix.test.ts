// The bad-input matrix (issue 16): every refusal of spec §3.6 through real HTTP answers a clear JSON error before any
// side effect: no Chatwoot call, no item in the mapping table (no mapping, no claim), no queue entry.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_JSON_DEPTH } from "../../functions/edge/strict-json.js";
import { CUSTOM_ATTRIBUTES_LIMITS } from "../../functions/edge/identity-schemas.js";
import { sandboxOf, startTestBridge, type TestBridge } from "../support/bridge.js";
import { tableItemCount } from "../support/table-items.js";
import { chatwootSignature } from "../../functions/core/signatures.js";

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
  /** A string is sent as it is, bytes as they are, anything else as JSON. */
  body?: unknown;
  headers?: Record<string, string>;
  status: number;
  code: string;
  detailPath?: string;
  /** The exact error message, where the case is about what it names. */
  message?: string;
}

const utf8 = (text: string) => Buffer.from(text, "utf8");
const nested = (levels: number, leaf: string) => `${'{"a":'.repeat(levels)}${leaf}${"}".repeat(levels)}`;
const VISIBLE = "must contain a visible character (not only spaces or invisible characters)";
const LONE = "must be well-formed Unicode (it has a lone surrogate)";
const { maxDepth, maxKeys, maxBytes } = CUSTOM_ATTRIBUTES_LIMITS;

/** Issue 16: identity, encoding and strict JSON. */
const hardeningCases: Case[] = [
  {
    name: "a latin1 charset",
    path: "/messages",
    body: valid,
    headers: { "content-type": "application/json; charset=latin1" },
    status: 415,
    code: "unsupported_media_type",
    message: "Content-Type charset must be utf-8 (got latin1)",
  },
  {
    name: "a quoted iso-8859-1 charset",
    path: "/contacts",
    body: { user_id: USER },
    headers: { "content-type": 'application/json; charset="ISO-8859-1"' },
    status: 415,
    code: "unsupported_media_type",
  },
  {
    name: "latin1 bytes (café) without a charset",
    path: "/contacts",
    body: Buffer.concat([utf8('{"user_id":"caf'), Buffer.from([0xe9]), utf8('"}')]),
    status: 400,
    code: "invalid_json",
    message: "Body is not valid UTF-8; JSON bodies must be encoded as UTF-8",
  },
  {
    name: "an encoded lone surrogate (CESU-8 bytes)",
    path: "/messages",
    body: Buffer.concat([utf8('{"user_id":"alice'), Buffer.from([0xed, 0xa0, 0x80]), utf8('","content":"x"}')]),
    status: 400,
    code: "invalid_json",
  },
  {
    name: "a user_id ending in a lone high surrogate",
    path: "/messages",
    body: { ...valid, user_id: "alice\ud800" },
    status: 400,
    code: "validation_failed",
    detailPath: "user_id",
    message: `user_id: ${LONE}`,
  },
  {
    name: "a user_id ending in a lone low surrogate",
    path: "/contacts",
    body: { user_id: "alice\udfff" },
    status: 400,
    code: "validation_failed",
    detailPath: "user_id",
  },
  {
    name: "a message_id with a lone surrogate",
    path: "/messages",
    body: { ...valid, message_id: "m-\udbff" },
    status: 400,
    code: "validation_failed",
    detailPath: "message_id",
  },
  {
    name: "a blank user_id",
    path: "/conversations",
    body: { user_id: "   " },
    status: 400,
    code: "validation_failed",
    detailPath: "user_id",
    message: `user_id: ${VISIBLE}`,
  },
  {
    name: "a zero-width user_id",
    path: "/messages",
    body: { ...valid, user_id: "\u200b\u2060" },
    status: 400,
    code: "validation_failed",
    detailPath: "user_id",
  },
  {
    name: "a user_id with a bidi override",
    path: "/contacts",
    body: { user_id: "admin\u202egnp" },
    status: 400,
    code: "validation_failed",
    detailPath: "user_id",
    message: "user_id: must not contain bidirectional control characters",
  },
  {
    name: "a message_id with a newline",
    path: "/messages",
    body: { ...valid, message_id: "m\n1" },
    status: 400,
    code: "validation_failed",
    detailPath: "message_id",
  },
  {
    name: "a zero-width user_id in the path",
    method: "GET",
    path: "/contacts/%E2%80%8B",
    status: 400,
    code: "validation_failed",
    detailPath: "user_id",
  },
  {
    name: "a duplicate user_id key",
    path: "/messages",
    body: `{"user_id":"${USER}","user_id":"someone-else","content":"x"}`,
    status: 400,
    code: "invalid_json",
    message: 'Body has the key "user_id" twice in one object',
  },
  {
    name: "a duplicate key inside contact",
    path: "/conversations",
    body: `{"user_id":"${USER}","contact":{"name":"A","name":"B"}}`,
    status: 400,
    code: "invalid_json",
    message: 'Body has the key "name" twice in one object',
  },
  {
    name: "1e400 in custom_attributes",
    path: "/contacts",
    body: `{"user_id":"${USER}","custom_attributes":{"score":1e400}}`,
    status: 400,
    code: "invalid_json",
    message: "Body has the number 1e400 outside the safe range (±9007199254740991)",
  },
  {
    name: "an integer above 2^53",
    path: "/contacts",
    body: `{"user_id":"${USER}","custom_attributes":{"id":9007199254740993}}`,
    status: 400,
    code: "invalid_json",
  },
  {
    name: "custom_attributes 5,000 levels deep (our limit, not a chatwoot_timeout)",
    path: "/contacts",
    body: `{"user_id":"${USER}","custom_attributes":${nested(5000, "1")}}`,
    status: 400,
    code: "invalid_json",
    message: `Body is nested deeper than ${MAX_JSON_DEPTH} levels (objects and arrays), the limit`,
  },
  {
    name: `custom_attributes ${maxDepth + 1} levels deep`,
    path: "/messages",
    body: `{"user_id":"${USER}","content":"x","contact":{"custom_attributes":${nested(maxDepth, "{}")}}}`,
    status: 400,
    code: "validation_failed",
    detailPath: "contact.custom_attributes",
    message: `contact.custom_attributes: must be nested at most ${maxDepth} levels deep`,
  },
  {
    name: `custom_attributes with ${maxKeys + 1} keys`,
    path: "/contacts",
    body: {
      user_id: USER,
      custom_attributes: Object.fromEntries(Array.from({ length: maxKeys + 1 }, (_, i) => [`k${i}`, i])),
    },
    status: 400,
    code: "validation_failed",
    message: `custom_attributes: must have at most ${maxKeys} keys in all`,
  },
  {
    name: `custom_attributes over ${maxBytes} bytes`,
    path: "/contacts",
    body: { user_id: USER, custom_attributes: { notes: "n".repeat(maxBytes) } },
    status: 400,
    code: "validation_failed",
    message: `custom_attributes: must be at most ${maxBytes} bytes as JSON`,
  },
  {
    name: "a __proto__ key in custom_attributes (refused, not dropped)",
    path: "/contacts",
    body: `{"user_id":"${USER}","custom_attributes":{"__proto__":{"plan":"pro"}}}`,
    status: 400,
    code: "validation_failed",
    message: "custom_attributes: must not use the keys __proto__, constructor or prototype",
  },
  {
    name: "a constructor key in custom_attributes",
    path: "/conversations",
    body: `{"user_id":"${USER}","contact":{"custom_attributes":{"constructor":"x"}}}`,
    status: 400,
    code: "validation_failed",
    detailPath: "contact.custom_attributes",
  },
  {
    name: "a __proto__ key at the top level",
    path: "/messages",
    body: `{"user_id":"${USER}","content":"x","__proto__":{"admin":true}}`,
    status: 400,
    code: "validation_failed",
    detailPath: "(body)",
  },
  {
    name: "text after the JSON object",
    path: "/messages",
    body: `${JSON.stringify(valid)} {}`,
    status: 400,
    code: "invalid_json",
  },
];

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

async function send(c: Case) {
  if (!(c.body instanceof Uint8Array)) return t.api(c.method ?? "POST", c.path, c.body, c.headers);
  const response = await fetch(`${t.bridge.url}${c.path}`, {
    method: c.method ?? "POST",
    headers: { authorization: `Bearer ${t.bridge.apiKey}`, "content-type": "application/json", ...c.headers },
    body: c.body,
  });
  return { status: response.status, headers: response.headers, body: await response.json() };
}

/** Nothing anywhere: the sandbox saw no call, the table holds no item, the queue holds no message. */
async function expectNothingChanged() {
  expect(sandboxOf(t).calls()).toEqual({});
  expect(await tableItemCount(t.bridge.config)).toBe(0);
  expect(t.bridge.queue.stats()).toEqual({ visible: 0, inFlight: 0, invisible: 0, deadLetters: 0 });
}

describe("bad input changes nothing", () => {
  it.each([...cases, ...hardeningCases])("answers $status $code for $name, and changes nothing", async (c) => {
    const answer = await send(c);
    expect(answer.status).toBe(c.status);
    expect(answer.headers.get("content-type")).toMatch(/^application\/json/);
    const error = (answer.body as { error: { code: string; message: string; details?: Array<{ path: string }> } })
      .error;
    expect(error.code).toBe(c.code);
    expect(error.message.length).toBeGreaterThan(0);
    if (c.detailPath) expect(error.details?.map((d) => d.path)).toContain(c.detailPath);
    if (c.message) expect(error.message).toBe(c.message);
    await expectNothingChanged();
  });

  it("refuses a signed webhook that is not UTF-8 (400 invalid_json) and queues nothing", async () => {
    const body = Buffer.concat([utf8('{"event":"message_created","content":"caf'), Buffer.from([0xe9]), utf8('"}')]);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const response = await fetch(`${t.bridge.url}/webhooks/chatwoot`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-chatwoot-timestamp": timestamp,
        "x-chatwoot-signature": chatwootSignature(sandboxOf(t).webhookSecret ?? "", timestamp, body),
      },
      body,
    });
    expect([response.status, await response.json()]).toEqual([
      400,
      { error: { code: "invalid_json", message: "Body is not valid UTF-8; JSON bodies must be encoded as UTF-8" } },
    ]);
    await expectNothingChanged();
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

// Runs after the matrix (tests of a file run in order): these create users, so the matrix's table stays empty.
describe("ids are exact", () => {
  it("keeps ids apart that differ only by case, Unicode normalisation or a space: each is its own contact", async () => {
    const ids = ["café", "cafe\u0301", "Café", "café "];
    const created = [];
    for (const id of ids) {
      const answer = await t.api(
        "POST",
        "/contacts",
        { user_id: id },
        { "content-type": "application/json; charset=UTF-8" },
      );
      created.push(answer.body as { user_id: string; contact_id: number; created: boolean });
    }
    expect(created.map((c) => [c.user_id, c.created])).toEqual(ids.map((id) => [id, true]));
    expect(new Set(created.map((c) => c.contact_id)).size).toBe(ids.length);
    for (const [i, id] of ids.entries()) {
      const read = await t.api("GET", `/contacts/${encodeURIComponent(id)}`);
      expect((read.body as { contact_id: number }).contact_id).toBe(created[i]?.contact_id);
    }
  });
});
