// The built-in delivery receiver: keeps correctly signed deliveries, refuses forged, tampered,
// stale or unsigned ones with 401 (keeping nothing), fails on request, and hands arrivals to next().
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Webhook } from "standardwebhooks";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { startReceiver, type Receiver } from "../../dev/receiver.js";

const SECRET = new Uint8Array(Buffer.from("cmVjZWl2ZXItdGVzdC1zZWNyZXQtMzItYnl0ZXMhIQ==", "base64"));
const OTHER_SECRET = new Uint8Array(Buffer.from("b3RoZXItc2VjcmV0LW9mLXRoaXJ0eS10d28tYnl0ZXM=", "base64"));
const NOW_S = 1_781_964_342;
const NOW_MS = NOW_S * 1000;
const BODY = JSON.stringify({
  type: "message.created",
  timestamp: "2026-06-20T14:05:42.613Z",
  data: { user_id: "u-42", conversation_id: 287, message: { id: 91207, content: "Hi Ada" } },
});

let receiver: Receiver;
let lines: string[];

beforeEach(async () => {
  lines = [];
  // The replay window is checked against Date.now().
  vi.useFakeTimers({ toFake: ["Date"], now: NOW_MS });
  receiver = await startReceiver({ secret: SECRET, log: (line) => lines.push(line) });
});

afterEach(async () => {
  vi.useRealTimers();
  await receiver.close();
});

const sign = (secret: Uint8Array, id: string, timestampSeconds: number, body: string): string =>
  new Webhook(secret, { format: "raw" }).sign(id, new Date(timestampSeconds * 1000), body);

interface PostOptions {
  id?: string;
  timestamp?: number;
  secret?: Uint8Array;
  body?: string;
  signedBody?: string;
  omit?: string;
}

async function post(options: PostOptions = {}): Promise<number> {
  const id = options.id ?? "msg_91207";
  const timestamp = options.timestamp ?? NOW_S;
  const body = options.body ?? BODY;
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "webhook-id": id,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": sign(options.secret ?? SECRET, id, timestamp, options.signedBody ?? body),
  };
  if (options.omit) delete headers[options.omit];
  const response = await fetch(receiver.url, { method: "POST", headers, body });
  await response.arrayBuffer();
  return response.status;
}

describe("built-in delivery receiver", () => {
  it("keeps a correctly signed delivery and prints one line with its type, user, conversation and text", async () => {
    expect(await post()).toBe(204);
    expect(receiver.received()).toEqual([
      { webhookId: "msg_91207", timestamp: NOW_S, body: JSON.parse(BODY), raw: BODY },
    ]);
    expect(lines).toEqual(['receiver: message.created user=u-42 conversation=287 webhook-id=msg_91207 "Hi Ada"']);
    expect(receiver.feed.all()).toEqual([
      expect.objectContaining({ seq: 1, outcome: "kept", status: 204, webhookId: "msg_91207", body: JSON.parse(BODY) }),
    ]);
  });

  it("accepts the Standard Webhooks test vector, alone or among several signatures (key rotation)", async () => {
    await receiver.close();
    vi.setSystemTime(1614265330_000);
    const secret = new Uint8Array(Buffer.from("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "base64"));
    receiver = await startReceiver({ secret, log: (line) => lines.push(line) });
    const headers = { "webhook-id": "msg_p5jXN8AQM9LWM0D4loKWxJek", "webhook-timestamp": "1614265330" };
    const good = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
    for (const signature of [good, `v1,bm9wZQ== ${good}`]) {
      const answer = await fetch(receiver.url, {
        method: "POST",
        headers: { ...headers, "webhook-signature": signature },
        body: '{"test": 2432232314}',
      });
      expect(answer.status).toBe(204);
    }
    expect(receiver.received().map((d) => d.raw)).toEqual(['{"test": 2432232314}', '{"test": 2432232314}']);
  });

  it("accepts a timestamp just inside the five-minute window", async () => {
    expect(await post({ timestamp: NOW_S - 300 })).toBe(204);
    expect(await post({ id: "msg_2", timestamp: NOW_S + 300 })).toBe(204);
    expect(receiver.received().map((d) => d.webhookId)).toEqual(["msg_91207", "msg_2"]);
  });

  it.each([
    ["signed with another secret", { secret: OTHER_SECRET }],
    ["whose body was changed after signing", { signedBody: BODY.replace("Hi Ada", "Hi Bob") }],
    ["whose timestamp is over five minutes old, so a captured delivery cannot be replayed", { timestamp: NOW_S - 301 }],
    ["whose timestamp is over five minutes ahead", { timestamp: NOW_S + 301 }],
    ["without webhook-signature", { omit: "webhook-signature" }],
    ["without webhook-id", { omit: "webhook-id" }],
    ["without webhook-timestamp", { omit: "webhook-timestamp" }],
  ] satisfies Array<[string, PostOptions]>)(
    "refuses a delivery %s with 401 and keeps nothing",
    async (_why, options) => {
      expect(await post(options)).toBe(401);
      expect(receiver.received()).toEqual([]);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^receiver: refused a delivery with 401 \(/);
      expect(receiver.feed.all()).toEqual([expect.objectContaining({ outcome: "refused", status: 401 })]);
    },
  );

  it("answers 503 to the next deliveries it was told to fail, then keeps the retry", async () => {
    receiver.failFor(2);
    expect(await post()).toBe(503);
    expect(await post()).toBe(503);
    expect(receiver.received()).toEqual([]);
    expect(await post()).toBe(204);
    expect(receiver.received().map((d) => d.webhookId)).toEqual(["msg_91207"]);
    expect(lines).toEqual([
      'receiver: answered 503 to message.created user=u-42 conversation=287 webhook-id=msg_91207 "Hi Ada", as told',
      'receiver: answered 503 to message.created user=u-42 conversation=287 webhook-id=msg_91207 "Hi Ada", as told',
      'receiver: message.created user=u-42 conversation=287 webhook-id=msg_91207 "Hi Ada"',
    ]);
  });

  it("fails with the given status until told to stop", async () => {
    receiver.failUntilCleared(410);
    expect([await post(), await post(), await post()]).toEqual([410, 410, 410]);
    receiver.clearFailures();
    expect(await post()).toBe(204);
    expect(receiver.received()).toHaveLength(1);
  });

  it("resolves next() on the next arrival, and hands each delivery to one next() only", async () => {
    const first = receiver.next();
    const second = receiver.next();
    expect(await post({ id: "msg_1" })).toBe(204);
    expect(await post({ id: "msg_2" })).toBe(204);
    expect([(await first).webhookId, (await second).webhookId]).toEqual(["msg_1", "msg_2"]);
    const third = receiver.next();
    await post({ id: "msg_3" });
    expect((await third).webhookId).toBe("msg_3");
  });

  it("gives next() a delivery that arrived before it was called, and honours its predicate", async () => {
    await post({ id: "msg_1" });
    await post({ id: "msg_2" });
    expect((await receiver.next((d) => d.webhookId === "msg_2")).webhookId).toBe("msg_2");
    expect((await receiver.next()).webhookId).toBe("msg_1");
    const third = receiver.next();
    await post({ id: "msg_3" });
    expect((await third).webhookId).toBe("msg_3");
  });

  it("marks a delivery whose webhook-id it already kept as a repeat", async () => {
    await post();
    await post();
    expect(receiver.received()).toHaveLength(2);
    expect(lines[1]).toBe(
      'receiver: message.created user=u-42 conversation=287 webhook-id=msg_91207 "Hi Ada" (repeat)',
    );
  });

  it("lists what arrived on GET and answers 404 elsewhere", async () => {
    await post();
    const list = await fetch(receiver.url);
    expect(await list.json()).toEqual([
      { webhookId: "msg_91207", timestamp: NOW_S, body: JSON.parse(BODY), raw: BODY },
    ]);
    const elsewhere = await fetch(new URL("/other", receiver.url), { method: "POST", body: "{}" });
    await elsewhere.arrayBuffer();
    expect(elsewhere.status).toBe(404);
  });

  it("keeps what it saw in its feed file, so a restarted receiver lists it again without handing it to next()", async () => {
    await receiver.close();
    const feedFile = join(mkdtempSync(join(tmpdir(), "cwb-receiver-")), "feed.json");
    receiver = await startReceiver({ secret: SECRET, log: () => undefined, feedFile });
    expect(await post()).toBe(204);
    expect(await post({ secret: OTHER_SECRET })).toBe(401);
    await receiver.close();
    receiver = await startReceiver({ secret: SECRET, log: () => undefined, feedFile });
    expect(receiver.feed.all().map((e) => [e.seq, e.outcome, e.webhookId])).toEqual([
      [1, "kept", "msg_91207"],
      [2, "refused", undefined],
    ]);
    expect(receiver.received().map((d) => [d.webhookId, d.body])).toEqual([["msg_91207", JSON.parse(BODY)]]);
    const next = receiver.next();
    expect(await post({ id: "msg_new" })).toBe(204);
    expect((await next).webhookId).toBe("msg_new");
    expect(receiver.feed.all().at(-1)?.seq).toBe(3);
  });

  it("rejects a pending next() when it is closed", async () => {
    const pending = receiver.next();
    await receiver.close();
    await expect(pending).rejects.toThrow("The receiver was closed before the delivery arrived");
    receiver = await startReceiver({ secret: SECRET, log: () => undefined });
  });
});
