// A webhook endpoint on 127.0.0.1 for sandbox tests: captures every POST (headers, raw bytes, parsed
// body), answers as told (a status, or never), and lets tests await a matching delivery.
import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface CapturedWebhook {
  headers: IncomingHttpHeaders;
  raw: Buffer;
  body: Record<string, unknown>;
  event: string;
}

/** What to answer: a status code, or "hang" to keep the request open (the sender times out). */
export type Answer = number | "hang";

export interface WebhookReceiver {
  url: string;
  received: CapturedWebhook[];
  /** Decides the answer to each delivery (default 200). */
  answerWith(decide: (hook: CapturedWebhook) => Answer): void;
  /** The first delivery, past or future, that matches. */
  waitFor(predicate: (hook: CapturedWebhook) => boolean): Promise<CapturedWebhook>;
  ofEvent(event: string): CapturedWebhook[];
  close(): Promise<void>;
}

function parseBody(raw: Buffer): Record<string, unknown> {
  const parsed: unknown = JSON.parse(raw.toString("utf8"));
  return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? { ...parsed } : {};
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: CapturedWebhook[] = [];
  const waiters = new Set<(hook: CapturedWebhook) => void>();
  const hanging = new Set<ServerResponse>();
  let decide: (hook: CapturedWebhook) => Answer = () => 200;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const raw = Buffer.concat(chunks);
      const body = parseBody(raw);
      const hook: CapturedWebhook = { headers: req.headers, raw, body, event: String(body.event) };
      received.push(hook);
      const answer = decide(hook);
      for (const waiter of [...waiters]) waiter(hook);
      if (answer === "hang") {
        hanging.add(res);
        return;
      }
      res.writeHead(answer, { "content-type": "text/plain" });
      res.end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/chatwoot`,
    received,
    answerWith: (next) => {
      decide = next;
    },
    waitFor: (predicate) => {
      const found = received.find(predicate);
      if (found !== undefined) return Promise.resolve(found);
      return new Promise((resolve) => {
        const waiter = (hook: CapturedWebhook) => {
          if (!predicate(hook)) return;
          waiters.delete(waiter);
          resolve(hook);
        };
        waiters.add(waiter);
      });
    },
    ofEvent: (event) => received.filter((hook) => hook.event === event),
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
