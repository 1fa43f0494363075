// The signed delivery sender against a real receiver on 127.0.0.1: headers and signature, each
// outcome (delivered, gone, failed), timeouts, refused connections and unfollowed redirects.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Webhook } from "standardwebhooks";
import { WebhookSender } from "../../functions/adapters/webhook-sender.js";
import { parseWebhookSecret } from "../../functions/config.js";

const SECRET = new Uint8Array(Buffer.from("c2VjcmV0LWJ5dGVzLWZvci10aGUtdGVzdHMtMzJieXRlcw==", "base64"));
const NOW_MS = 1_781_964_342_613;
const ATTEMPT = { webhookId: "msg_91207", body: '{"type":"message.created","data":{"conversation_id":287}}' };

interface Seen {
  method: string | undefined;
  path: string | undefined;
  headers: IncomingMessage["headers"];
  body: string;
}

let server: Server;
let url: URL;
let seen: Seen[];
let answer: (res: ServerResponse) => void;

beforeEach(async () => {
  seen = [];
  answer = (res) => res.writeHead(200).end("ok");
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      seen.push({
        method: req.method,
        path: req.url,
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      });
      answer(res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  url = new URL(`http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}/hooks/chatwoot`);
});

afterEach(async () => {
  server.closeAllConnections();
  if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
});

function sender(options: { timeoutMs?: number; fetch?: typeof fetch } = {}): WebhookSender {
  return new WebhookSender({ deliveryUrl: url, deliverySecret: SECRET }, { clock: { now: () => NOW_MS }, ...options });
}

describe("WebhookSender", () => {
  it("POSTs the body with Standard Webhooks headers whose signature the receiver can verify", async () => {
    expect(await sender().send(ATTEMPT)).toEqual({ kind: "delivered", status: 200 });
    expect(seen).toHaveLength(1);
    const [request] = seen;
    expect(request).toMatchObject({ method: "POST", path: "/hooks/chatwoot", body: ATTEMPT.body });
    expect(request?.headers).toMatchObject({
      "content-type": "application/json",
      "webhook-id": "msg_91207",
      "webhook-timestamp": "1781964342",
      "user-agent": "chatwoot-bridge",
    });
    const signature = String(request?.headers["webhook-signature"]);
    expect(signature).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(signature).toBe(new Webhook(SECRET, { format: "raw" }).sign("msg_91207", new Date(NOW_MS), ATTEMPT.body));
  });

  it("signs the Standard Webhooks spec's test vector to its published signature", async () => {
    const secret = parseWebhookSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    if (!secret) throw new Error("the spec's secret did not parse");
    const vector = new WebhookSender(
      { deliveryUrl: url, deliverySecret: secret },
      { clock: { now: () => 1614265330_000 } },
    );
    const answer = await vector.send({ webhookId: "msg_p5jXN8AQM9LWM0D4loKWxJek", body: '{"test": 2432232314}' });
    expect(answer).toEqual({ kind: "delivered", status: 200 });
    expect(seen[0]?.headers).toMatchObject({
      "webhook-id": "msg_p5jXN8AQM9LWM0D4loKWxJek",
      "webhook-timestamp": "1614265330",
      "webhook-signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
    });
    expect(seen[0]?.body).toBe('{"test": 2432232314}');
  });

  it("counts any 2xx as delivered", async () => {
    answer = (res) => res.writeHead(204).end();
    expect(await sender().send(ATTEMPT)).toEqual({ kind: "delivered", status: 204 });
  });

  it("reports 410 Gone as gone, so the worker stops retrying at once", async () => {
    answer = (res) => res.writeHead(410).end("no such user");
    expect(await sender().send(ATTEMPT)).toEqual({ kind: "gone", status: 410 });
  });

  it("reports other statuses as failed with a reason an agent may read: the status, no URL, no body", async () => {
    answer = (res) => res.writeHead(503).end("maintenance at http://internal.example.com");
    expect(await sender().send(ATTEMPT)).toEqual({ kind: "failed", status: 503, reason: "receiver answered 503" });
    answer = (res) => res.writeHead(400).end();
    expect(await sender().send(ATTEMPT)).toEqual({ kind: "failed", status: 400, reason: "receiver answered 400" });
  });

  it("does not follow a redirect: the signed reply must not travel to another address", async () => {
    answer = (res) => res.writeHead(302, { location: "/elsewhere" }).end();
    expect(await sender().send(ATTEMPT)).toEqual({
      kind: "failed",
      status: 302,
      reason: "receiver answered 302 (redirects are not followed)",
    });
    expect(seen.map((r) => r.path)).toEqual(["/hooks/chatwoot"]);
  });

  it("gives up on a receiver that does not answer in time", async () => {
    answer = () => undefined;
    // Long enough for the request to reach the server on a loaded machine (50 ms was not, in 1 of 4 runs).
    expect(await sender({ timeoutMs: 1000 }).send(ATTEMPT)).toEqual({
      kind: "failed",
      reason: "receiver timed out after 1s",
    });
    expect(seen).toHaveLength(1);
  });

  it("names the default ten-second timeout in seconds", async () => {
    const timingOut: typeof fetch = () =>
      Promise.reject(new DOMException("The operation was aborted due to timeout", "TimeoutError"));
    expect(await sender({ fetch: timingOut }).send(ATTEMPT)).toEqual({
      kind: "failed",
      reason: "receiver timed out after 10s",
    });
  });

  it("names a timeout below a second in milliseconds", async () => {
    const timingOut: typeof fetch = () =>
      Promise.reject(new DOMException("The operation was aborted due to timeout", "TimeoutError"));
    expect(await sender({ fetch: timingOut, timeoutMs: 50 }).send(ATTEMPT)).toEqual({
      kind: "failed",
      reason: "receiver timed out after 50ms",
    });
  });

  it("names a refused connection, so a dead letter says why (issue 13 item 5)", async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    expect(await sender().send(ATTEMPT)).toEqual({ kind: "failed", reason: "receiver refused the connection" });
  });

  it("names a host name that does not resolve as a DNS failure", async () => {
    const unresolved: typeof fetch = () =>
      Promise.reject(
        new TypeError("fetch failed", { cause: Object.assign(new Error("getaddrinfo"), { code: "ENOTFOUND" }) }),
      );
    expect(await sender({ fetch: unresolved }).send(ATTEMPT)).toEqual({
      kind: "failed",
      reason: "receiver's host name did not resolve (DNS)",
    });
  });

  it("reports a connection dropped before any answer as a failed connection", async () => {
    answer = (res) => res.socket?.destroy();
    expect(await sender().send(ATTEMPT)).toEqual({ kind: "failed", reason: "receiver connection failed" });
  });

  it("reads each answer to the end, so consecutive deliveries reuse their connections", async () => {
    // A connection goes back to the pool a moment after its body ends, so two take turns; unread bodies need one each.
    answer = (res) => res.writeHead(200, { "content-type": "text/plain" }).end("x".repeat(20_000));
    let connections = 0;
    server.on("connection", () => (connections += 1));
    const deliver = sender();
    for (let i = 0; i < 6; i++)
      expect(await deliver.send({ webhookId: `msg_${i}`, body: "{}" })).toEqual({ kind: "delivered", status: 200 });
    expect(seen).toHaveLength(6);
    expect(connections).toBeLessThanOrEqual(2);
  });

  it("refuses to send, with a clear error, while DELIVERY_URL is unset", async () => {
    const unset = new WebhookSender({ deliveryUrl: undefined, deliverySecret: SECRET });
    await expect(unset.send(ATTEMPT)).rejects.toThrow(
      "Cannot deliver: DELIVERY_URL and DELIVERY_SECRET must both be set before the first delivery",
    );
    expect(seen).toEqual([]);
  });

  it("reads the URL at send time, so it can be filled in after construction", async () => {
    const config: { deliveryUrl: URL | undefined; deliverySecret: Uint8Array } = {
      deliveryUrl: undefined,
      deliverySecret: SECRET,
    };
    const late = new WebhookSender(config);
    config.deliveryUrl = url;
    expect(await late.send(ATTEMPT)).toEqual({ kind: "delivered", status: 200 });
  });
});
