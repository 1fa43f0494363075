// Signs one delivery attempt per Standard Webhooks (the `standardwebhooks` library) and POSTs it to DELIVERY_URL
// (spec §5). The outcome's reason is shown to a Chatwoot agent, so it names what happened, never a URL or a body.
import { Webhook } from "standardwebhooks";
import type { Config } from "../config.js";
import type { Clock, DeliveryAttempt, DeliveryOutcome, DeliverySender } from "../core/ports.js";

/** Spec §5: a receiver that has not answered in 10 s has failed this attempt. */
const DEFAULT_TIMEOUT_MS = 10_000;
/** Read this much of an answer so the socket can be reused; a longer body is cut off instead. */
const MAX_DISCARDED_BYTES = 64 * 1024;
/** Network failures that mean the request never reached a receiver. */
const UNREACHABLE_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_CONNECT_TIMEOUT",
]);
const TIMEOUT_CODES = new Set(["UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT", "ETIMEDOUT"]);

export interface WebhookSenderOptions {
  fetch?: typeof fetch;
  clock?: Clock;
  timeoutMs?: number;
}

export class WebhookSender implements DeliverySender {
  private readonly fetch: typeof fetch;
  private readonly clock: Clock;
  private readonly timeoutMs: number;

  /** `config` is read at each send: locally the receiver's URL is filled in after construction. */
  constructor(
    private readonly config: Pick<Config, "deliveryUrl" | "deliverySecret">,
    options: WebhookSenderOptions = {},
  ) {
    this.fetch = options.fetch ?? globalThis.fetch;
    this.clock = options.clock ?? { now: () => Date.now() };
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  async send(attempt: DeliveryAttempt): Promise<DeliveryOutcome> {
    const { deliveryUrl, deliverySecret } = this.config;
    if (!deliveryUrl || !deliverySecret) {
      throw new Error("Cannot deliver: DELIVERY_URL and DELIVERY_SECRET must both be set before the first delivery");
    }
    const timestampSeconds = Math.floor(this.clock.now() / 1000);
    // "raw": DELIVERY_SECRET is already decoded to its key bytes (config.ts parseWebhookSecret).
    const signature = new Webhook(deliverySecret, { format: "raw" }).sign(
      attempt.webhookId,
      new Date(timestampSeconds * 1000),
      attempt.body,
    );
    let response: Response;
    try {
      response = await this.fetch(deliveryUrl, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "webhook-id": attempt.webhookId,
          "webhook-timestamp": String(timestampSeconds),
          "webhook-signature": signature,
          "user-agent": "chatwoot-bridge",
        },
        body: attempt.body,
        // A redirect could carry a signed reply somewhere else: a 3xx is a failed attempt.
        redirect: "manual",
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      return { kind: "failed", reason: this.failureReason(error) };
    }
    await discardBody(response);
    return outcomeOf(response.status);
  }

  private failureReason(error: unknown): string {
    const name = error instanceof Error ? error.name : undefined;
    const code = causeCode(error);
    if (name === "TimeoutError" || name === "AbortError" || (code && TIMEOUT_CODES.has(code))) {
      return `receiver timed out after ${formatDuration(this.timeoutMs)}`;
    }
    if (code === "ECONNREFUSED") return "receiver refused the connection";
    if (code === "ENOTFOUND" || code === "EAI_AGAIN") return "receiver's host name did not resolve (DNS)";
    if (code && UNREACHABLE_CODES.has(code)) return "receiver unreachable";
    if (code && /CERT|TLS|SSL|SELF_SIGNED/.test(code)) return "receiver's TLS certificate was not accepted";
    return "receiver connection failed";
  }
}

function outcomeOf(status: number): DeliveryOutcome {
  if (status >= 200 && status < 300) return { kind: "delivered", status };
  if (status === 410) return { kind: "gone", status };
  if (status >= 300 && status < 400)
    return { kind: "failed", status, reason: `receiver answered ${status} (redirects are not followed)` };
  return { kind: "failed", status, reason: `receiver answered ${status}` };
}

/** Reads and drops the answer: an unread body keeps its socket from being reused. */
async function discardBody(response: Response): Promise<void> {
  if (!response.body) return;
  let bytes = 0;
  try {
    for await (const chunk of response.body) {
      bytes += chunk.byteLength;
      if (bytes > MAX_DISCARDED_BYTES) break;
    }
  } catch {
    // The status already decided the outcome; a body cut short (or timed out) changes nothing.
  }
}

/** fetch wraps network errors: TypeError("fetch failed") whose cause (or its cause) has the `code`. */
function causeCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    const code: unknown = Reflect.get(current, "code");
    if (typeof code === "string") return code;
    current = current.cause;
  }
  return undefined;
}

function formatDuration(ms: number): string {
  return ms >= 1000 && ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
