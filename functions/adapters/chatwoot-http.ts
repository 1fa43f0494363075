// One Chatwoot HTTP call: ofetch with our timeout, no redirects, no hidden retries, every failure a ChatwootError.
import { createFetch, ofetch, type FetchResponse } from "ofetch";
import { ChatwootError, type ChatwootFailureKind } from "../core/errors.js";

export interface ChatwootCall {
  operation: string;
  method: "GET" | "POST" | "PATCH";
  path: string;
  body?: Record<string, unknown> | FormData;
  query?: Record<string, string | number>;
  /** Reads and 429s (never stored) may be retried; a create that may have been stored never is. */
  retry: "safe" | "unavailable-only";
}

export interface HttpOptions {
  baseUrl: string;
  token: string;
  timeoutMs: number;
  /** The whole call's budget, retries included. */
  budgetMs: number;
  fetch?: typeof globalThis.fetch;
  random?: () => number;
}

/** At most this many attempts per call; the budget usually stops earlier. */
const MAX_ATTEMPTS = 3;
/** Backoff base: 250 ms, 500 ms, … with full jitter. */
const BACKOFF_BASE_MS = 250;

export async function callChatwoot(options: HttpOptions, call: ChatwootCall): Promise<unknown> {
  const deadline = Date.now() + options.budgetMs;
  const random = options.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    try {
      return await attemptOnce(options, call, Math.min(options.timeoutMs, Math.max(1, deadline - Date.now())));
    } catch (error) {
      if (!(error instanceof ChatwootError) || !isRetryable(error, call) || attempt >= MAX_ATTEMPTS) throw error;
      const delayMs = Math.round(random() * BACKOFF_BASE_MS * 2 ** (attempt - 1));
      if (Date.now() + delayMs + options.timeoutMs / 4 > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}

function isRetryable(error: ChatwootError, call: ChatwootCall): boolean {
  if (call.retry === "safe") return error.kind === "unavailable" || error.kind === "failed" || error.kind === "timeout";
  // A create refused before processing (429 from rack-attack, 503 from the proxy, connection refused) stored nothing.
  return error.kind === "unavailable";
}

async function attemptOnce(options: HttpOptions, call: ChatwootCall, timeoutMs: number): Promise<unknown> {
  let response: FetchResponse<unknown>;
  // ofetch 1.5.1 ignores a per-request `fetch` option: only createFetch({ fetch }) uses another fetch.
  const client = options.fetch ? createFetch({ fetch: options.fetch }) : ofetch;
  try {
    response = await client.raw(call.path, {
      baseURL: options.baseUrl,
      method: call.method,
      body: call.body,
      query: call.query,
      // Both spellings: Rack maps them to one key, and nginx drops the underscore one (CONTRACT.md §2.0).
      headers: { api_access_token: options.token, "api-access-token": options.token, accept: "application/json" },
      timeout: timeoutMs,
      retry: 0,
      redirect: "manual",
      ignoreResponseError: true,
    });
  } catch (error) {
    throw new ChatwootError({ operation: call.operation, kind: transportFailure(error) });
  }
  if (response.status >= 200 && response.status < 300) return response._data;
  throw statusFailure(call.operation, response.status, response._data);
}

function transportFailure(error: unknown): ChatwootFailureKind {
  const cause = error instanceof Error ? error.cause : undefined;
  const name = cause instanceof Error ? cause.name : "";
  if (name === "TimeoutError" || name === "AbortError") return "timeout";
  const code = cause instanceof Error ? Reflect.get(cause, "cause") : undefined;
  const errno = code instanceof Error ? Reflect.get(code, "code") : undefined;
  // Refused or unresolvable: the request never reached Chatwoot, so nothing was stored.
  if (errno === "ECONNREFUSED" || errno === "ENOTFOUND" || errno === "EAI_AGAIN") return "unavailable";
  return "timeout";
}

function statusFailure(operation: string, status: number, data: unknown): ChatwootError {
  if (status === 404) return new ChatwootError({ operation, kind: "not_found", status });
  if (status === 429 || status === 503)
    return new ChatwootError({ operation, kind: "unavailable", status, retryAfterSeconds: 5 });
  if (status === 422 || status === 400) {
    return new ChatwootError({
      operation,
      kind: "rejected",
      status,
      attributes: readAttributes(data),
      reason: readReason(data),
    });
  }
  return new ChatwootError({ operation, kind: "failed", status });
}

function readAttributes(data: unknown): string[] {
  const attributes = isRecord(data) ? data.attributes : undefined;
  return Array.isArray(attributes) ? attributes.filter((a): a is string => typeof a === "string") : [];
}

/** Chatwoot's 422 reason: `{message}` from model validation, `{error}` from messages#create (CONTRACT.md §2.0). */
function readReason(data: unknown): string | undefined {
  if (!isRecord(data)) return undefined;
  const reason =
    typeof data.message === "string" ? data.message : typeof data.error === "string" ? data.error : undefined;
  return reason?.slice(0, 500);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
