// The webhook emitter (lib/webhooks/trigger.rb, CONTRACT.md §4.2-§4.3): events are queued during a
// request and POSTed after it, one at a time, signed when the inbox has a secret, with a timeout and
// no retry. A failed message event marks the message failed, which fires another message_updated.
import { randomUUID } from "node:crypto";
import { request as httpRequest, STATUS_CODES } from "node:http";
import { request as httpsRequest } from "node:https";
import { chatwootSignature } from "../../functions/core/signatures.js";
import type { EventName, EventSink, SandboxEvent } from "./core.js";
import { activeSupportJson } from "./encode.js";
import type { JsonObject } from "./types.js";

export interface WebhookLogEntry {
  event: EventName;
  deliveryId: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  outcome: "delivered" | "failed" | "skipped";
  status?: number;
  /** The text Chatwoot stores as `external_error` ("503 Service Unavailable", "Net::ReadTimeout …"). */
  error?: string;
  /** The second copy sent by `duplicateNextWebhook()`. */
  duplicate: boolean;
}

export interface WebhookEmitterOptions {
  target: () => { url: string | null; secret: string | null };
  /** Builds the payload when the event is sent; undefined drops it (its record is gone). */
  build: (event: SandboxEvent) => JsonObject | undefined;
  /** Called when a delivery fails, with Chatwoot's error text. */
  onFailure: (event: SandboxEvent, error: string) => void;
  timeoutMs: number;
  /** The signal that ends a delivery's wait for an answer (Net::ReadTimeout); default: after timeoutMs. */
  deadline?: (timeoutMs: number) => AbortSignal;
  nowMs?: () => number;
}

export class WebhookEmitter implements EventSink {
  private readonly queue: SandboxEvent[] = [];
  private readonly entries: WebhookLogEntry[] = [];
  private readonly idleWaiters: Array<() => void> = [];
  private readonly entryWaiters = new Set<(entry: WebhookLogEntry) => void>();
  private readonly inFlight = new Set<AbortController>();
  private running = false;
  private closed = false;
  private duplicates = 0;

  constructor(private readonly options: WebhookEmitterOptions) {}

  emit(event: SandboxEvent): void {
    if (this.closed) return;
    this.queue.push(event);
    if (!this.running) {
      this.running = true;
      // Like Sidekiq, after the request that caused it has been answered.
      setImmediate(() => void this.pump());
    }
  }

  log(): WebhookLogEntry[] {
    return this.entries.map((entry) => ({ ...entry, headers: { ...entry.headers } }));
  }

  clearLog(): void {
    this.entries.length = 0;
  }

  /** The next delivered event is POSTed twice, the second time under a new X-Chatwoot-Delivery. */
  duplicateNext(count = 1): void {
    this.duplicates += count;
  }

  idle(): Promise<void> {
    if (!this.running && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Resolves with the first log entry, past or future, that matches. */
  waitFor(predicate: (entry: WebhookLogEntry) => boolean): Promise<WebhookLogEntry> {
    const found = this.entries.find(predicate);
    if (found !== undefined) return Promise.resolve({ ...found });
    return new Promise((resolve) => {
      const waiter = (entry: WebhookLogEntry) => {
        if (!predicate(entry)) return;
        this.entryWaiters.delete(waiter);
        resolve({ ...entry });
      };
      this.entryWaiters.add(waiter);
    });
  }

  close(): void {
    this.closed = true;
    this.queue.length = 0;
    for (const controller of this.inFlight) controller.abort();
  }

  private async pump(): Promise<void> {
    for (let event = this.queue.shift(); event !== undefined; event = this.queue.shift()) {
      await this.deliver(event);
    }
    this.running = false;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private async deliver(event: SandboxEvent): Promise<void> {
    const payload = this.options.build(event);
    if (payload === undefined) return;
    const body = activeSupportJson(payload);
    const copies = this.duplicates > 0 ? 2 : 1;
    if (copies === 2) this.duplicates -= 1;
    for (let copy = 0; copy < copies; copy += 1) {
      const entry = await this.post(event.event, body, copy === 1);
      this.record(entry);
      if (entry.outcome === "failed" && entry.error !== undefined && !this.closed)
        this.options.onFailure(event, entry.error);
    }
  }

  private record(entry: WebhookLogEntry): void {
    this.entries.push(entry);
    for (const waiter of [...this.entryWaiters]) waiter(entry);
  }

  private async post(event: EventName, body: string, duplicate: boolean): Promise<WebhookLogEntry> {
    const { url, secret } = this.options.target();
    const deliveryId = randomUUID();
    const headers: Record<string, string> = {
      "Content-Type": "application/json",
      Accept: "application/json",
      "User-Agent": "Ruby",
      "X-Chatwoot-Delivery": deliveryId,
    };
    if (secret !== null && secret !== "") {
      const timestamp = String(Math.floor((this.options.nowMs ?? Date.now)() / 1000));
      headers["X-Chatwoot-Timestamp"] = timestamp;
      headers["X-Chatwoot-Signature"] = chatwootSignature(secret, timestamp, Buffer.from(body));
    }
    const base = { event, deliveryId, url: url ?? "", headers, body, duplicate };
    if (url === null || url === "") return { ...base, outcome: "skipped" };
    const controller = new AbortController();
    this.inFlight.add(controller);
    const deadline = (this.options.deadline ?? AbortSignal.timeout)(this.options.timeoutMs);
    const abort = () => controller.abort();
    deadline.addEventListener("abort", abort, { once: true });
    try {
      const response = await postOnce(url, headers, body, controller.signal);
      if (response.status >= 200 && response.status < 300)
        return { ...base, outcome: "delivered", status: response.status };
      const reason = response.statusText || STATUS_CODES[response.status] || "";
      return { ...base, outcome: "failed", status: response.status, error: `${response.status} ${reason}`.trim() };
    } catch (error) {
      return { ...base, outcome: "failed", error: transportError(url, error, controller.signal.aborted) };
    } finally {
      deadline.removeEventListener("abort", abort);
      this.inFlight.delete(controller);
    }
  }
}

/**
 * One POST, its answer read to the end. node:http rather than fetch: under `npm start` the sandbox shares the
 * bridge's event loop, and fetch's streams cost several times more CPU per webhook (docs/performance.md).
 * Content-Length is sent, as Ruby's Net::HTTP sends it.
 */
function postOnce(
  url: string,
  headers: Record<string, string>,
  body: string,
  signal: AbortSignal,
): Promise<{ status: number; statusText: string }> {
  const target = new URL(url);
  const send = target.protocol === "https:" ? httpsRequest : httpRequest;
  const sized = { ...headers, "Content-Length": String(Buffer.byteLength(body)) };
  return new Promise((resolve, reject) => {
    const request = send(target, { method: "POST", headers: sized, signal }, (response) => {
      response.once("error", reject);
      response.once("end", () =>
        resolve({ status: response.statusCode ?? 0, statusText: response.statusMessage ?? "" }),
      );
      response.resume();
    });
    request.once("error", reject);
    request.end(body);
  });
}

/** The Ruby exception message Chatwoot would store for a transport failure (CONTRACT.md §4.3). */
function transportError(url: string, error: unknown, timedOut: boolean): string {
  if (timedOut) return "Net::ReadTimeout with #<TCPSocket:(closed)>";
  const parsed = new URL(url);
  const hostname = parsed.hostname;
  const port = parsed.port || (parsed.protocol === "https:" ? "443" : "80");
  // node:http puts the socket's code on the error itself; fetch put it on the cause.
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const code = cause instanceof Error && "code" in cause ? cause.code : undefined;
  if (code === "ECONNREFUSED") {
    return `Failed to open TCP connection to ${hostname}:${port} (Connection refused - connect(2) for "${hostname}" port ${port})`;
  }
  if (code === "ECONNRESET" || code === "UND_ERR_SOCKET") return "Connection reset by peer";
  return error instanceof Error ? error.message : "webhook delivery failed";
}
