// How ChatwootClient turns Chatwoot's answers and ofetch's failures into ChatwootError at the adapter edge:
// the status, the operation, Retry-After and a 422's field names, never the body, the URL or the token.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ChatwootClient } from "../../functions/adapters/chatwoot-client.js";
import { failureOf } from "../support/chatwoot-failure.js";
import { CHATWOOT_CLIENT_CONFIG as CONFIG } from "../support/chatwoot-client-config.js";
import { type ChatwootError, LocalCallError } from "../../functions/core/errors.js";

const MESSAGE = { sourceId: "cwb-msg-1", content: "a user's private words" };

/** A fetch answering every request with the same response, counting the requests it saw. */
function answering(respond: () => Response): { fetch: typeof globalThis.fetch; requests: Request[] } {
  const requests: Request[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    requests.push(new Request(input, init));
    return respond();
  };
  return { fetch, requests };
}

/** Everything a log line or an HTTP answer could show of the error. */
function shownOf(error: ChatwootError): string {
  return `${String(error)} ${JSON.stringify({ ...error })} ${String(error.cause)}`;
}

afterEach(() => {
  vi.useRealTimers();
});

describe("ChatwootClient failures", () => {
  it("turns a 422 into rejected with the field names and reason, sent once since a create is never retried", async () => {
    const body = { message: "Identifier has already been taken", attributes: ["identifier", 7], echo: MESSAGE.content };
    const chatwoot = answering(() => Response.json(body, { status: 422 }));
    const error = await failureOf(new ChatwootClient(CONFIG, chatwoot).createMessage(287, MESSAGE));
    expect({ ...error, message: error.message }).toEqual({
      name: "ChatwootError",
      message: "create message failed: rejected (422)",
      operation: "create message",
      kind: "rejected",
      status: 422,
      retryAfterSeconds: undefined,
      attributes: ["identifier"],
      reason: "Identifier has already been taken",
    });
    expect(chatwoot.requests).toHaveLength(1);
  });

  it("turns a 429 into unavailable with a Retry-After at rack-attack's next window, and a 404 into not_found", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-06-20T14:01:45.300Z"));
    const limited = answering(() => new Response("slow down", { status: 429 }));
    const client = new ChatwootClient(CONFIG, { ...limited, random: () => 0 });
    expect(await failureOf(client.createMessage(287, MESSAGE))).toMatchObject({
      kind: "unavailable",
      status: 429,
      retryAfterSeconds: 15,
    });
    // Refused before processing (nothing stored), so even a create is tried again: 5 attempts within the budget.
    expect(limited.requests).toHaveLength(5);
    const missing = answering(() => Response.json({ error: "Resource could not be found" }, { status: 404 }));
    expect(await failureOf(new ChatwootClient(CONFIG, missing).createMessage(287, MESSAGE))).toMatchObject({
      kind: "not_found",
      status: 404,
      reason: undefined,
    });
  });

  it("follows no redirect: a 302 is a failure of its own, and the Location is never requested", async () => {
    const moved = answering(
      () => new Response(null, { status: 302, headers: { location: "http://elsewhere.invalid/" } }),
    );
    const error = await failureOf(new ChatwootClient(CONFIG, moved).createMessage(287, MESSAGE));
    expect(error).toMatchObject({ kind: "failed", status: 302, operation: "create message" });
    expect(moved.requests.map((request) => [request.url, request.redirect])).toEqual([
      ["http://chatwoot.invalid/api/v1/accounts/3/conversations/287/messages", "manual"],
    ]);
  });

  it("reports an answer without the id it needs as an unexpected shape, not as a success", async () => {
    const odd = answering(() => Response.json({ id: "91201" }));
    expect(await failureOf(new ChatwootClient(CONFIG, odd).createMessage(287, MESSAGE))).toMatchObject({
      kind: "failed",
      reason: "unexpected response shape",
      status: undefined,
    });
  });

  it("turns no answer within CHATWOOT_TIMEOUT_MS into timeout, keeping the URL and the token out of the error", async () => {
    vi.useFakeTimers();
    const requests: Request[] = [];
    const hanging: typeof globalThis.fetch = (input, init) => {
      requests.push(new Request(input, init));
      return new Promise((_resolve, reject) => {
        init?.signal?.addEventListener("abort", () => reject(init.signal?.reason));
      });
    };
    const pending = failureOf(new ChatwootClient(CONFIG, { fetch: hanging }).createMessage(287, MESSAGE));
    await vi.advanceTimersByTimeAsync(CONFIG.chatwootTimeoutMs);
    const error = await pending;
    expect(error).toMatchObject({ kind: "timeout", status: undefined, operation: "create message" });
    expect(requests).toHaveLength(1);
    for (const secret of ["chatwoot.invalid", "token-for-tests", MESSAGE.content])
      expect(shownOf(error)).not.toContain(secret);
  });

  it("turns a refused connection into unavailable: nothing reached Chatwoot", async () => {
    const refusal = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" });
    const refused: typeof globalThis.fetch = async () => {
      throw new TypeError("fetch failed", { cause: refusal });
    };
    const error = await failureOf(
      new ChatwootClient(CONFIG, { fetch: refused, budgetMs: 1 }).updateMessageStatus(287, 91201, "delivered"),
    );
    expect(error).toMatchObject({ kind: "unavailable", operation: "update message status", status: undefined });
    expect(shownOf(error)).not.toContain("token-for-tests");
  });

  it("turns an answer cut off mid-body into timeout: Chatwoot may have stored the message", async () => {
    const server = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": "100" });
      // A tenth of the promised body, then the connection drops (a proxy restart, a crashed worker).
      res.write('{"id": 912', () => res.destroy());
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const config = { ...CONFIG, chatwootBaseUrl: new URL(`http://127.0.0.1:${port}`) };
      const error = await failureOf(new ChatwootClient(config).createMessage(287, MESSAGE));
      expect(error).toMatchObject({ kind: "timeout", operation: "create message" });
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it("turns headers followed by a stalled body into timeout within CHATWOOT_TIMEOUT_MS", async () => {
    const server = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": "100" });
      res.write('{"id": 912'); // and then nothing: the rest of the body never comes
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const config = { ...CONFIG, chatwootBaseUrl: new URL(`http://127.0.0.1:${port}`), chatwootTimeoutMs: 300 };
      const error = await failureOf(new ChatwootClient(config, { budgetMs: 300 }).createMessage(287, MESSAGE));
      expect(error).toMatchObject({ kind: "timeout", operation: "create message" });
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it("reports a request that could not be built as our failure (LocalCallError), never a Chatwoot timeout", async () => {
    const seen = answering(() => Response.json({}));
    const withCredentials = { ...CONFIG, chatwootBaseUrl: new URL("http://user:pass-secret@chatwoot.invalid") };
    const credentials = await caughtOf(new ChatwootClient(withCredentials).updateContact(4821, { name: "Ada" }));
    let deep: Record<string, unknown> = {};
    for (let i = 0; i < 20_000; i++) deep = { a: deep };
    const tooDeep = await caughtOf(new ChatwootClient(CONFIG, seen).updateContact(4821, { customAttributes: deep }));
    for (const error of [credentials, tooDeep]) {
      expect(error).toBeInstanceOf(LocalCallError);
      expect(error).toMatchObject({ operation: "update contact" });
      expect(String(error)).not.toContain("pass-secret");
    }
    expect(seen.requests).toHaveLength(0);
  });
});

async function caughtOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
}
