// The built-in delivery receiver for `npm start` without DELIVERY_URL: checks each delivery's
// Standard Webhooks signature and timestamp (spec §5), keeps and announces what arrives, and can
// be told to fail for a while so retries and ordering can be watched locally. With a feed file (under DATA_DIR)
// what it saw survives a restart.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { Webhook, WebhookVerificationError } from "standardwebhooks";
import { ReceiverFeed, type FeedEntry } from "./receiver-feed.js";
import { DeliveryLog, describeDelivery, type ReceivedDelivery } from "./receiver-log.js";

export type { ReceivedDelivery } from "./receiver-log.js";

export interface Receiver {
  /** POST deliveries here (DELIVERY_URL); GET it to list what arrived. */
  url: string;
  received(): ReceivedDelivery[];
  /** Every delivery that arrived, kept or refused, with its verification result (the console shows it live). */
  feed: ReceiverFeed;
  /** The oldest delivery no earlier next() returned that matches, waiting for one if none has arrived. */
  next(predicate?: (delivery: ReceivedDelivery) => boolean): Promise<ReceivedDelivery>;
  /** Answer the next `count` correctly signed deliveries with `status` (503) and keep none of them. */
  failFor(count: number, status?: number): void;
  failUntilCleared(status?: number): void;
  clearFailures(): void;
  /** Leaves the next signed delivery (after any told to fail) unanswered until released: an attempt in flight. */
  holdNext(): HeldDelivery;
  close(): Promise<void>;
}

export interface HeldDelivery {
  /** Resolves when the held delivery has arrived; it is kept by no one. */
  arrived: Promise<ReceivedDelivery>;
  /** Answers it now, with `status` (503 by default), unless its sender has gone. */
  release(status?: number): void;
}

export interface ReceiverOptions {
  host?: string;
  port?: number;
  secret: Uint8Array;
  log?: (line: string) => void;
  /** Where the feed is kept across restarts; in memory only without one. */
  feedFile?: string;
}

const MAX_BODY_BYTES = 1024 * 1024;
const PATH = "/deliveries";

export async function startReceiver(options: ReceiverOptions): Promise<Receiver> {
  const host = options.host ?? "127.0.0.1";
  const print = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  // The library's verify refuses a timestamp more than 5 minutes from Date.now() either way (replays).
  const webhook = new Webhook(options.secret, { format: "raw" });
  const deliveries = new DeliveryLog();
  const feed = new ReceiverFeed(options.feedFile);
  deliveries.restore(feed.all().flatMap(keptDelivery));
  let failure: { remaining: number; status: number } | undefined;
  let hold: ((delivery: ReceivedDelivery, res: ServerResponse) => void) | undefined;

  const accept = (req: IncomingMessage, res: ServerResponse, raw: string): void => {
    const checked = verify(req, raw, webhook);
    if (!checked.ok) {
      print(`receiver: refused a delivery with 401 (${checked.why})`);
      feed.add({ outcome: "refused", status: 401, why: checked.why });
      res.writeHead(401, { "content-type": "application/json" }).end(JSON.stringify({ error: checked.why }));
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      print(`receiver: refused ${checked.webhookId} with 400 (the body is not JSON)`);
      feed.add({ outcome: "refused", status: 400, why: "the body is not JSON", webhookId: checked.webhookId });
      res.writeHead(400, { "content-type": "application/json" }).end('{"error":"the body is not JSON"}');
      return;
    }
    const delivery: ReceivedDelivery = { webhookId: checked.webhookId, timestamp: checked.timestamp, body, raw };
    if (failure && failure.remaining > 0) {
      failure.remaining -= 1;
      print(`receiver: answered ${failure.status} to ${describeDelivery(delivery)}, as told`);
      feed.add({ outcome: "failed", status: failure.status, why: "told to fail", webhookId: checked.webhookId, body });
      res.writeHead(failure.status).end();
      return;
    }
    if (hold) {
      print(`receiver: holding ${describeDelivery(delivery)} unanswered, as told`);
      hold(delivery, res);
      hold = undefined;
      return;
    }
    const repeat = deliveries.add(delivery);
    print(`receiver: ${describeDelivery(delivery)}${repeat ? " (repeat)" : ""}`);
    feed.add({
      outcome: "kept",
      status: 204,
      webhookId: checked.webhookId,
      body,
      ...(repeat ? { why: "repeat" } : {}),
    });
    res.writeHead(204).end();
  };

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://receiver").pathname;
    if (path !== PATH || (req.method !== "POST" && req.method !== "GET")) {
      res.writeHead(404, { "content-type": "application/json" }).end('{"error":"not found"}');
      return;
    }
    if (req.method === "GET") {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(deliveries.all(), null, 2));
      return;
    }
    readBody(req, res, (raw) => accept(req, res, raw));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : options.port;

  return {
    url: `http://${host}:${port}${PATH}`,
    received: () => deliveries.all(),
    feed,
    next: (predicate) => deliveries.next(predicate),
    failFor: (count, status = 503) => {
      failure = { remaining: count, status };
    },
    failUntilCleared: (status = 503) => {
      failure = { remaining: Number.POSITIVE_INFINITY, status };
    },
    clearFailures: () => {
      failure = undefined;
    },
    holdNext: () => {
      let held: ServerResponse | undefined;
      const arrived = new Promise<ReceivedDelivery>((resolve) => {
        hold = (delivery, res) => {
          held = res;
          resolve(delivery);
        };
      });
      const release = (status = 503): void => {
        if (held && !held.destroyed && !held.headersSent) held.writeHead(status).end();
      };
      return { arrived, release };
    },
    close: async () => {
      deliveries.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await feed.close();
    },
  };
}

function keptDelivery(entry: FeedEntry): ReceivedDelivery[] {
  if (entry.outcome !== "kept" || !entry.webhookId) return [];
  const timestamp = Math.floor(Date.parse(entry.at) / 1000);
  return [{ webhookId: entry.webhookId, timestamp, body: entry.body, raw: JSON.stringify(entry.body) }];
}

type Verified = { ok: true; webhookId: string; timestamp: number } | { ok: false; why: string };

function verify(req: IncomingMessage, raw: string, webhook: Webhook): Verified {
  const id = req.headers["webhook-id"];
  const timestamp = req.headers["webhook-timestamp"];
  const signature = req.headers["webhook-signature"];
  if (
    typeof id !== "string" ||
    typeof timestamp !== "string" ||
    typeof signature !== "string" ||
    !/^\d+$/.test(timestamp)
  ) {
    return { ok: false, why: "missing or malformed webhook-id, webhook-timestamp or webhook-signature" };
  }
  const headers = { "webhook-id": id, "webhook-timestamp": timestamp, "webhook-signature": signature };
  try {
    webhook.verify(raw, headers, { jsonParse: false });
  } catch (error) {
    // Its messages name the check that failed ("Message timestamp too old", "No matching signature found").
    if (error instanceof WebhookVerificationError) return { ok: false, why: error.message };
    throw error;
  }
  return { ok: true, webhookId: id, timestamp: Number(timestamp) };
}

function readBody(req: IncomingMessage, res: ServerResponse, then: (raw: string) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  req.on("data", (chunk: Buffer) => {
    size += chunk.length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk);
  });
  req.on("end", () => {
    if (size > MAX_BODY_BYTES) res.writeHead(413).end();
    else then(Buffer.concat(chunks).toString("utf8"));
  });
}
