// Bounded time (issue 12): every wait ends before the invocation does. The Lambda deadline comes from the context,
// the Chatwoot client never starts an attempt it has no time for and cuts one short at the deadline, an upload's
// timeout grows with its size, and CHATWOOT_TIMEOUT_MS is refused above what the functions' timeout can hold.
import { describe, expect, it, vi } from "vitest";
import { localContext } from "../../dev/lambda-context.js";
import { baseDeps } from "../../functions/compose/deps.js";
import { lambdaEntry } from "../../functions/compose/lambda-entry.js";
import { ChatwootClient, uploadTimeoutMs } from "../../functions/adapters/chatwoot-client.js";
import { nextWindowSeconds } from "../../functions/adapters/chatwoot-http.js";
import { LambdaDeadline } from "../../functions/compose/lambda-deadline.js";
import { loadConfig } from "../../functions/config.js";
import { boundedMs, type Deadline, unbounded } from "../../functions/core/deadline.js";
import { toBridgeError } from "../../functions/core/errors.js";
import { MAX_CHATWOOT_TIMEOUT_MS } from "../../functions/time-budget.js";
import { ensureContact } from "../../functions/core/contacts.js";
import { failureOf } from "../support/chatwoot-failure.js";
import { CHATWOOT_CLIENT_CONFIG as CONFIG } from "../support/chatwoot-client-config.js";
import { inboundFakes } from "../support/inbound-fakes.js";

const MESSAGE = { sourceId: "cwb-msg-1", content: "hello" };

/** A fetch that never answers until its request is aborted, counting the requests it saw. */
function hanging(): { fetch: typeof globalThis.fetch; requests: number } {
  const seen = { requests: 0 };
  const fetch: typeof globalThis.fetch = (_input, init) => {
    seen.requests++;
    return new Promise((_, reject) => {
      init?.signal?.addEventListener("abort", () => reject(init.signal?.reason));
    });
  };
  return {
    fetch,
    get requests() {
      return seen.requests;
    },
  };
}

const fixed = (ms: number): Deadline => ({ remainingMs: () => ms });

describe("the Lambda deadline", () => {
  it("is the context's remaining time less the 1.5 s reserve, counting down", () => {
    let now = 1_000;
    const deadline = new LambdaDeadline(() => now);
    expect(deadline.remainingMs()).toBeUndefined();
    deadline.begin({ getRemainingTimeInMillis: () => 29_000 });
    expect(deadline.remainingMs()).toBe(27_500);
    now += 27_000;
    expect(deadline.remainingMs()).toBe(500);
    now += 5_000;
    expect(deadline.remainingMs()).toBe(0);
  });

  it("stays unbounded for a context without getRemainingTimeInMillis (the local server's)", () => {
    const deadline = new LambdaDeadline();
    deadline.begin({});
    expect([deadline.remainingMs(), boundedMs(deadline, 8000), boundedMs(unbounded, 8000)]).toEqual([
      undefined,
      8000,
      8000,
    ]);
    expect(boundedMs(fixed(300), 8000)).toBe(300);
  });
});

describe("lambdaEntry", () => {
  it("hands its builder a deadline that each invocation sets from its context", async () => {
    vi.stubEnv("CHATWOOT_ACCOUNT_ID", "1");
    vi.stubEnv("CHATWOOT_INBOX_ID", "1");
    vi.stubEnv("CHATWOOT_API_TOKEN", "t");
    vi.stubEnv("CHATWOOT_WEBHOOK_SECRET", "s");
    vi.stubEnv("BRIDGE_API_KEY", "a-bridge-api-key-of-length");
    const seen: Array<number | undefined> = [];
    const handler = lambdaEntry(baseDeps, (deps) => async (_event: unknown) => {
      seen.push(deps.deadline.remainingMs());
      return "ok";
    });
    const context = (remainingMs: number) => ({
      ...localContext("F", "r"),
      getRemainingTimeInMillis: () => remainingMs,
    });
    await handler({}, context(10_000));
    await handler({}, context(3_000));
    vi.unstubAllEnvs();
    expect(seen.map((ms) => (ms === undefined ? ms : Math.round(ms / 100) * 100))).toEqual([8_500, 1_500]);
  });
});

describe("waiting for another request's work", () => {
  it("gives up when the invocation ends, not after the whole wait budget", async () => {
    const fakes = inboundFakes();
    await fakes.store.acquireUserLease("u-1", "other", Number.MAX_SAFE_INTEGER, 0);
    let pauses = 0;
    const deps = {
      ...fakes.deps,
      deadline: fixed(0),
      sleep: async () => {
        pauses++;
      },
    };
    await expect(ensureContact(deps, "u-1", {})).rejects.toMatchObject({ code: "in_progress" });
    expect([pauses, fakes.chatwoot.calls]).toEqual([0, []]);
  });
});

describe("the Chatwoot client within the deadline", () => {
  it("sends nothing when the invocation has no time left, and the client is told 503 with Retry-After", async () => {
    const chatwoot = hanging();
    const client = new ChatwootClient(CONFIG, { fetch: chatwoot.fetch, deadline: fixed(100) });
    const error = await failureOf(client.createMessage(287, MESSAGE));
    expect(chatwoot.requests).toBe(0);
    const answer = toBridgeError(error);
    expect([answer.code, answer.retryAfterSeconds, answer.message]).toEqual([
      "chatwoot_unavailable",
      1,
      "The request ran out of time before it could call Chatwoot (create message)",
    ]);
  });

  it("cuts a hanging call at the deadline, well before CHATWOOT_TIMEOUT_MS", async () => {
    const chatwoot = hanging();
    const config = { ...CONFIG, chatwootTimeoutMs: 10_000 };
    const client = new ChatwootClient(config, { fetch: chatwoot.fetch, deadline: fixed(400) });
    const started = Date.now();
    const error = await failureOf(client.createMessage(287, MESSAGE));
    expect([error.kind, chatwoot.requests]).toEqual(["timeout", 1]);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

describe("time budgets", () => {
  it("gives an upload CHATWOOT_TIMEOUT_MS plus 1 s per 5 MiB", () => {
    const file = (bytes: number) => ({ filename: "f", contentType: "image/png", data: new Uint8Array(bytes) });
    expect(uploadTimeoutMs(8000, MESSAGE)).toBe(8000);
    expect(uploadTimeoutMs(8000, { ...MESSAGE, attachments: [file(50 * 1024 * 1024)] })).toBe(18_000);
    expect(uploadTimeoutMs(8000, { ...MESSAGE, attachments: [file(5 * 1024 * 1024), file(1)] })).toBe(9001);
  });

  it("waits for rack-attack's next 60 s window after a 429", () => {
    expect(nextWindowSeconds(Date.parse("2026-06-20T14:01:45.300Z"))).toBe(15);
    expect(nextWindowSeconds(Date.parse("2026-06-20T14:01:59.999Z"))).toBe(1);
    expect(nextWindowSeconds(Date.parse("2026-06-20T14:02:00.000Z"))).toBe(60);
  });

  it("refuses CHATWOOT_TIMEOUT_MS above 13750 ms, naming the bound and the 29 s it comes from", () => {
    const base = {
      CHATWOOT_ACCOUNT_ID: "1",
      CHATWOOT_INBOX_ID: "1",
      CHATWOOT_API_TOKEN: "t",
      CHATWOOT_WEBHOOK_SECRET: "s",
    };
    const key = { BRIDGE_API_KEY: "a-bridge-api-key-of-length" };
    expect(MAX_CHATWOOT_TIMEOUT_MS).toBe(13_750);
    expect(loadConfig({ ...base, ...key, CHATWOOT_TIMEOUT_MS: "13750" }).chatwootTimeoutMs).toBe(13_750);
    expect(() => loadConfig({ ...base, ...key, CHATWOOT_TIMEOUT_MS: "13751" })).toThrow(
      "CHATWOOT_TIMEOUT_MS must be at most 13750: a new user's first message makes 2 Chatwoot calls in turn, and both must fit the 29 s timeout of the functions that call Chatwoot, 1500 ms kept to record the outcome",
    );
  });
});
