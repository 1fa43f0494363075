// The HTTP routes in-process, built by their factories with fake deps: the checks run as middy middlewares in the
// spec's order (bearer -> size -> content type -> JSON -> strict schema), and one error middleware answers for all.
import { describe, expect, it } from "vitest";
import { BridgeError, ChatwootError, LocalCallError } from "../../functions/core/errors.js";
import { chatwootSignature } from "../../functions/core/signatures.js";
import { contactsGetRoute } from "../../functions/routes/contacts-get.js";
import { contactsPostRoute } from "../../functions/routes/contacts-post.js";
import { healthGetRoute } from "../../functions/routes/health-get.js";
import { webhooksChatwootPostRoute } from "../../functions/routes/webhooks-chatwoot-post.js";
import { PartialChatwoot } from "../support/partial-chatwoot.js";
import { API_KEY, call, fakeBridge, httpEvent, WEBHOOK_SECRET } from "../support/route-harness.js";
import { webhookFixtureText } from "../support/fixtures.js";

const bearer = { authorization: `Bearer ${API_KEY}` };
const json = { "content-type": "application/json" };
const POST_CONTACTS = "POST /contacts";

/** Chatwoot answers every call with a timeout: a request that reaches the domain ends in 504. */
class TimingOutChatwoot extends PartialChatwoot {
  calls = 0;
  constructor() {
    super("timing out");
  }
  protected override unused(): never {
    this.calls++;
    throw new ChatwootError({ operation: "create contact", kind: "timeout" });
  }
}

function contactsPost() {
  const chatwoot = new TimingOutChatwoot();
  const bridge = fakeBridge({ chatwoot });
  return { ...bridge, chatwoot, handler: contactsPostRoute(bridge.deps) };
}

const errorCode = (body: unknown) => (body as { error: { code: string } }).error.code;

describe("the checks' order", () => {
  it("answers a wrong key with 401 before looking at an oversized, mistyped, unparsable body, and touches nothing", async () => {
    const { handler, chatwoot, store } = contactsPost();
    const answer = await call(
      handler,
      httpEvent(POST_CONTACTS, {
        headers: { authorization: "Bearer wrong-key-0123456789", "content-type": "text/plain" },
        body: "{".repeat(300 * 1024),
      }),
    );
    expect([answer.status, errorCode(answer.body)]).toEqual([401, "unauthorized"]);
    expect([chatwoot.calls, await store.getUser("u-1")]).toEqual([0, undefined]);
  });

  it("answers a missing Authorization header with 401", async () => {
    const { handler } = contactsPost();
    const answer = await call(handler, httpEvent(POST_CONTACTS, { headers: json, body: '{"user_id":"u-1"}' }));
    expect([answer.status, errorCode(answer.body)]).toEqual([401, "unauthorized"]);
  });

  it("refuses an oversized body (413) before its content type, even when it is base64-encoded bytes", async () => {
    const { handler, chatwoot } = contactsPost();
    const body = Buffer.alloc(256 * 1024 + 1, 0x20);
    const answer = await call(
      handler,
      httpEvent(POST_CONTACTS, { headers: { ...bearer, "content-type": "image/png" }, body }),
    );
    expect([answer.status, errorCode(answer.body)]).toEqual([413, "payload_too_large"]);
    expect(chatwoot.calls).toBe(0);
  });

  it("refuses a wrong content type (415) before parsing the body", async () => {
    const { handler } = contactsPost();
    const answer = await call(
      handler,
      httpEvent(POST_CONTACTS, { headers: { ...bearer, "content-type": "text/plain" }, body: "{" }),
    );
    expect([answer.status, errorCode(answer.body)]).toEqual([415, "unsupported_media_type"]);
  });

  it("answers bad JSON with 400 invalid_json (not middy's 415), before the schema sees unknown fields", async () => {
    const { handler } = contactsPost();
    for (const body of ['{"user_id":"u-1","extra":', ""]) {
      const answer = await call(handler, httpEvent(POST_CONTACTS, { headers: { ...bearer, ...json }, body }));
      expect([answer.status, errorCode(answer.body)], body).toEqual([400, "invalid_json"]);
    }
  });

  it("refuses unknown fields with 400 validation_failed naming the field, not its value", async () => {
    const { handler, chatwoot } = contactsPost();
    const answer = await call(
      handler,
      httpEvent(POST_CONTACTS, { headers: { ...bearer, ...json }, body: '{"user_id":"u-1","nickname":"SECRET"}' }),
    );
    expect(answer).toEqual({
      status: 400,
      body: {
        error: {
          code: "validation_failed",
          message: "(body): unknown field(s): nickname",
          details: [{ path: "(body)", message: "unknown field(s): nickname" }],
        },
      },
    });
    expect(chatwoot.calls).toBe(0);
  });

  it("hands a valid body to the domain: here Chatwoot times out, which the error middleware maps to 504", async () => {
    const { handler, chatwoot } = contactsPost();
    const answer = await call(
      handler,
      httpEvent(POST_CONTACTS, {
        headers: { ...bearer, "content-type": "application/json; charset=utf-8" },
        body: '{"user_id":"u-1"}',
      }),
    );
    expect([answer.status, errorCode(answer.body)]).toEqual([504, "chatwoot_timeout"]);
    expect(chatwoot.calls).toBeGreaterThan(0);
  });
});

describe("the error middleware", () => {
  it("logs request.completed with the request id, route, status and ms", async () => {
    const { deps, logLines } = fakeBridge();
    const answer = await call(healthGetRoute(deps), httpEvent("GET /health"));
    expect(answer).toEqual({ status: 200, body: { ok: true } });
    expect(logLines).toEqual([
      expect.objectContaining({
        level: "info",
        event: "request.completed",
        request_id: "req-1",
        route: "GET /health",
        status: 200,
        ms: expect.any(Number),
      }),
    ]);
  });

  it("answers a refusal with the spec's body and logs request.failed at info", async () => {
    const { deps, logLines } = fakeBridge();
    const event = httpEvent("GET /contacts/{user_id}", { headers: bearer, pathParameters: { user_id: "nobody" } });
    const answer = await call(contactsGetRoute(deps), event);
    expect(answer).toEqual({
      status: 404,
      body: { error: { code: "not_found", message: "No mapping for this user_id" } },
    });
    expect(logLines).toEqual([
      expect.objectContaining({ level: "info", event: "request.failed", status: 404, error_code: "not_found" }),
    ]);
  });

  it("logs in_progress (another request is setting the user up) as a refusal at info, not as an error", async () => {
    const busy = new (class extends PartialChatwoot {
      protected override unused(): never {
        throw new BridgeError("in_progress", "Another request is still setting up this user", { retryAfterSeconds: 2 });
      }
    })("busy");
    const { deps, logLines } = fakeBridge({ chatwoot: busy });
    const event = httpEvent(POST_CONTACTS, { headers: { ...bearer, ...json }, body: '{"user_id":"u-1"}' });
    const answer = await call(contactsPostRoute(deps), event);
    expect([answer.status, errorCode(answer.body)]).toEqual([503, "in_progress"]);
    expect(logLines).toEqual([
      expect.objectContaining({ level: "info", event: "request.failed", status: 503, error_code: "in_progress" }),
    ]);
  });

  it("turns an unexpected error into a fixed 500 internal_error and logs its name only", async () => {
    const { deps, store, logLines } = fakeBridge();
    store.failNext(1);
    const event = httpEvent("GET /contacts/{user_id}", { headers: bearer, pathParameters: { user_id: "u-1" } });
    const answer = await call(contactsGetRoute(deps), event);
    expect(answer).toEqual({ status: 500, body: { error: { code: "internal_error", message: "Internal error" } } });
    expect(logLines).toEqual([
      expect.objectContaining({ level: "error", event: "request.failed", status: 500, error_name: "StoreError" }),
    ]);
  });
});

describe("errors tell the truth", () => {
  /** A Chatwoot call that could not even be built (a bad configuration, a body fetch cannot encode). */
  class UnsendableChatwoot extends PartialChatwoot {
    constructor() {
      super("unsendable");
    }
    protected override unused(): never {
      throw new LocalCallError("create contact", new TypeError("bad URL"));
    }
  }

  it("answers a call that never left the bridge with 500 internal_error, never a chatwoot_* code", async () => {
    const bridge = fakeBridge({ chatwoot: new UnsendableChatwoot() });
    const answer = await call(
      contactsPostRoute(bridge.deps),
      httpEvent(POST_CONTACTS, { headers: { ...bearer, ...json }, body: '{"user_id":"u-1"}' }),
    );
    expect(answer).toEqual({ status: 500, body: { error: { code: "internal_error", message: "Internal error" } } });
    expect(bridge.logLines).toEqual([
      expect.objectContaining({
        level: "error",
        status: 500,
        error_name: "LocalCallError",
        error_operation: "create contact",
      }),
    ]);
  });
});

describe("the webhook route", () => {
  const payload = webhookFixtureText("message_created.outgoing.json");
  const signed = (body: string, secret = WEBHOOK_SECRET) => {
    const timestamp = String(Math.floor(Date.now() / 1000));
    return {
      "x-chatwoot-timestamp": timestamp,
      "x-chatwoot-signature": chatwootSignature(secret, timestamp, Buffer.from(body)),
    };
  };

  it("checks the signature over the raw bytes before parsing: a bad signature on bad JSON is 401, nothing queued", async () => {
    const { deps, queue, logLines } = fakeBridge();
    const body = "{not json";
    const answer = await call(
      webhooksChatwootPostRoute(deps),
      httpEvent("POST /webhooks/chatwoot", { headers: signed(body, "wrong"), body }),
    );
    expect([answer.status, errorCode(answer.body)]).toEqual([401, "unauthorized"]);
    expect(queue.sent).toEqual([]);
    expect(logLines).toEqual([expect.objectContaining({ level: "warn", event: "webhook.refused", status: 401 })]);
  });

  it("refuses a body over 4 MiB (spec §8) with 413 before checking its signature", async () => {
    const { deps, queue } = fakeBridge();
    const body = " ".repeat(4 * 1024 * 1024 + 1);
    const answer = await call(
      webhooksChatwootPostRoute(deps),
      httpEvent("POST /webhooks/chatwoot", { headers: {}, body }),
    );
    expect([answer.status, errorCode(answer.body)]).toEqual([413, "payload_too_large"]);
    expect(queue.sent).toEqual([]);
  });

  it("answers signed bad JSON with 400 invalid_json", async () => {
    const { deps, queue } = fakeBridge();
    const body = "{not json";
    const answer = await call(
      webhooksChatwootPostRoute(deps),
      httpEvent("POST /webhooks/chatwoot", { headers: signed(body), body }),
    );
    expect([answer.status, errorCode(answer.body)]).toEqual([400, "invalid_json"]);
    expect(queue.sent).toEqual([]);
  });

  it("reads a signed webhook with a duplicate key as Chatwoot's own parser would (the last wins): refusing it would lose it", async () => {
    const { deps } = fakeBridge();
    const body = '{"event":"message_created","event":"conversation_typing_on"}';
    const answer = await call(
      webhooksChatwootPostRoute(deps),
      httpEvent("POST /webhooks/chatwoot", { headers: signed(body), body }),
    );
    expect(answer).toEqual({ status: 200, body: { ok: true, queued: false } });
  });

  it("enqueues a signed agent reply once and logs webhook.queued with how it was accepted, not request.completed", async () => {
    const { deps, queue, logLines } = fakeBridge();
    const answer = await call(
      webhooksChatwootPostRoute(deps),
      httpEvent("POST /webhooks/chatwoot", { headers: signed(payload), body: payload }),
    );
    expect(answer).toEqual({ status: 200, body: { ok: true, queued: true } });
    expect(queue.sent).toHaveLength(1);
    expect(logLines.map((line) => [line.event, line.auth])).toEqual([["webhook.queued", "signed"]]);
  });
});
