// POST /events' bad-input matrix (spec §3.6, §3.7): every refusal is a clear JSON error naming what was wrong, and
// changes nothing: no Chatwoot call, no item written, no queue entry.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sandboxOf, startTestBridge, type TestBridge } from "../support/bridge.js";
import { tableItemCount } from "../support/table-items.js";

let t: TestBridge;
beforeAll(async () => {
  t = await startTestBridge();
});
afterAll(async () => t.close());

interface Case {
  name: string;
  body: unknown;
  headers?: Record<string, string>;
  status: number;
  code: string;
  detailPath?: string;
}

const typing = { type: "typing.started", user_id: "known-user" };

/** Refusals that need no user at all: checked while the table is still empty. */
const shapeCases: Case[] = [
  { name: "no bearer key", body: typing, headers: { authorization: "" }, status: 401, code: "unauthorized" },
  {
    name: "a wrong bearer key",
    body: typing,
    headers: { authorization: "Bearer nope" },
    status: 401,
    code: "unauthorized",
  },
  { name: "unparsable JSON", body: "{nope", status: 400, code: "invalid_json" },
  {
    name: "a body over 256 KiB",
    body: { ...typing, pad: "x".repeat(256 * 1024) },
    status: 413,
    code: "payload_too_large",
  },
  {
    name: "a text/plain body",
    body: JSON.stringify(typing),
    headers: { "content-type": "text/plain" },
    status: 415,
    code: "unsupported_media_type",
  },
  { name: "a missing type", body: { user_id: "u" }, status: 400, code: "validation_failed", detailPath: "type" },
  {
    name: "an unknown type",
    body: { ...typing, type: "typing.paused" },
    status: 400,
    code: "validation_failed",
    detailPath: "type",
  },
  { name: "an unknown field", body: { ...typing, mood: "happy" }, status: 400, code: "validation_failed" },
  {
    name: "a field of another event type (edit_id on typing)",
    body: { ...typing, edit_id: "e-1" },
    status: 400,
    code: "validation_failed",
  },
  {
    name: "an empty user_id",
    body: { ...typing, user_id: "" },
    status: 400,
    code: "validation_failed",
    detailPath: "user_id",
  },
  {
    name: "a 256-character thread_id",
    body: { ...typing, thread_id: "t".repeat(256) },
    status: 400,
    code: "validation_failed",
    detailPath: "thread_id",
  },
  {
    name: "an up_to that is not a positive integer",
    body: { type: "messages.read", user_id: "u", up_to: -3 },
    status: 400,
    code: "validation_failed",
    detailPath: "up_to",
  },
  {
    name: "an edit without edit_id",
    body: { type: "message.updated", user_id: "u", message_id: "m", content: "x" },
    status: 400,
    code: "validation_failed",
    detailPath: "edit_id",
  },
  {
    name: "an edit with blank content",
    body: { type: "message.updated", user_id: "u", message_id: "m", content: "  ", edit_id: "e" },
    status: 400,
    code: "validation_failed",
    detailPath: "content",
  },
  {
    name: "an edit over Chatwoot's 150,000 characters",
    body: { type: "message.updated", user_id: "u", message_id: "m", content: "x".repeat(150_001), edit_id: "e" },
    status: 400,
    code: "validation_failed",
    detailPath: "content",
  },
  {
    name: "an unknown user (typing)",
    body: { ...typing, user_id: "nobody" },
    status: 404,
    code: "not_found",
    detailPath: "user_id",
  },
  {
    name: "an unknown user (delete)",
    body: { type: "message.deleted", user_id: "nobody", message_id: "m-1" },
    status: 404,
    code: "not_found",
    detailPath: "message_id",
  },
];

/** Refusals about what a known user has: an unknown thread, message or up_to. */
const knownUserCases: Case[] = [
  {
    name: "an unknown thread",
    body: { ...typing, thread_id: "no-such-thread" },
    status: 404,
    code: "not_found",
    detailPath: "thread_id",
  },
  {
    name: "an up_to that is no agent message of the conversation",
    body: { type: "messages.read", user_id: "known-user", up_to: 987654 },
    status: 404,
    code: "not_found",
    detailPath: "up_to",
  },
  {
    name: "an edit of an unknown message_id",
    body: { type: "message.updated", user_id: "known-user", message_id: "never", content: "x", edit_id: "e-1" },
    status: 404,
    code: "not_found",
    detailPath: "message_id",
  },
  {
    name: "a delete of an unknown message_id",
    body: { type: "message.deleted", user_id: "known-user", message_id: "never" },
    status: 404,
    code: "not_found",
    detailPath: "message_id",
  },
];

async function send(c: Case) {
  const response = await fetch(`${t.bridge.url}/events`, {
    method: "POST",
    headers: { authorization: `Bearer ${t.bridge.apiKey}`, "content-type": "application/json", ...c.headers },
    body: typeof c.body === "string" ? c.body : JSON.stringify(c.body),
  });
  return { status: response.status, type: response.headers.get("content-type"), body: await response.json() };
}

function expectRefused(answer: Awaited<ReturnType<typeof send>>, c: Case) {
  expect(answer.status).toBe(c.status);
  expect(answer.type).toMatch(/^application\/json/);
  const error = (answer.body as { error: { code: string; message: string; details?: Array<{ path: string }> } }).error;
  expect(error.code).toBe(c.code);
  expect(error.message.length).toBeGreaterThan(0);
  if (c.detailPath) expect(error.details?.map((d) => d.path)).toContain(c.detailPath);
}

function expectQueueEmpty() {
  expect(t.bridge.queue.stats()).toEqual({ visible: 0, inFlight: 0, invisible: 0, deadLetters: 0 });
}

describe("POST /events refuses bad input and changes nothing", () => {
  it.each(shapeCases)("answers $status $code for $name", async (c) => {
    expectRefused(await send(c), c);
    expect(sandboxOf(t).calls()).toEqual({});
    expect(await tableItemCount(t.bridge.config)).toBe(0);
    expectQueueEmpty();
  });

  describe("for a known user", () => {
    let items = 0;
    beforeAll(async () => {
      const posted = await t.api("POST", "/messages", { user_id: "known-user", message_id: "m-1", content: "hi" });
      expect(posted.status).toBe(201);
      await t.bridge.sandbox?.webhooksIdle();
      await t.bridge.queue.drained();
      items = await tableItemCount(t.bridge.config);
    });

    it.each(knownUserCases)("answers $status $code for $name", async (c) => {
      sandboxOf(t).resetCalls();
      expectRefused(await send(c), c);
      expect(sandboxOf(t).calls()).toEqual({});
      expect(await tableItemCount(t.bridge.config)).toBe(items);
      expectQueueEmpty();
    });
  });
});
