// One Chatwoot HTTP call: one ofetch instance per client (base URL, token, timeout, no redirects, no hidden
// retries), our own retry and budget on top, and every failure a ChatwootError holding no body and no URL.
import type { $Fetch, FetchOptions, FetchResponse } from "ofetch";
import { boundedMs, type Deadline } from "../core/deadline.js";
import { ChatwootError, LocalCallError, type ChatwootFailureKind } from "../core/errors.js";
import { count, type Metrics, milliseconds, noMetrics } from "../metrics.js";
import { chatwootRejection } from "./chatwoot-responses.js";

export interface ChatwootCall {
  operation: string;
  method: "GET" | "POST" | "PATCH" | "DELETE";
  path: string;
  body?: Record<string, unknown> | FormData;
  query?: Record<string, string | number>;
  /** Reads and 429s (never stored) may be retried; a create that may have been stored never is; `never`: one attempt. */
  retry: "safe" | "unavailable-only" | "never";
  /** This call's own per-attempt timeout instead of CHATWOOT_TIMEOUT_MS (an upload's grows with its size). */
  timeoutMs?: number;
}

export interface ChatwootHttpOptions {
  baseUrl: string;
  /** Absent for the public Client API, which takes no token (CONTRACT.md §3). */
  token?: string;
  timeoutMs: number;
  /** The whole call's budget, retries included. */
  budgetMs: number;
  fetch?: typeof globalThis.fetch;
  random?: () => number;
  /** Each HTTP attempt's operation, outcome and latency (spec §7). */
  metrics?: Metrics;
  /** The invocation's end: no attempt and no backoff outlives it. */
  deadline?: Deadline;
}

export interface ChatwootHttp {
  /**
   * The client's ofetch instance, made at its first call: loading ofetch reads `globalThis.Headers`, which makes
   * Node load its fetch (undici, about 20 ms), so a cold start pays that only when it calls Chatwoot.
   */
  fetcher: () => Promise<$Fetch>;
  timeoutMs: number;
  budgetMs: number;
  random: () => number;
  metrics: Metrics;
  deadline: Deadline | undefined;
}

/** At most this many attempts per call; the budget or the invocation's deadline usually stops earlier. */
const MAX_ATTEMPTS = 5;
/** Backoff base: 250 ms, 500 ms, 1 s, 2 s with full jitter (about 3.75 s at most in all). */
const BACKOFF_BASE_MS = 250;
/** An attempt with less time than this left is not started: it could only time out, its outcome unknown. */
const MIN_ATTEMPT_MS = 250;

export function createChatwootHttp(options: ChatwootHttpOptions): ChatwootHttp {
  const defaults: FetchOptions = {
    baseURL: options.baseUrl,
    headers: options.token === undefined ? { accept: "application/json" } : chatwootHeaders(options.token),
    timeout: options.timeoutMs,
    // ofetch retries a failed GET once by default: retries live in callChatwoot alone, within the budget.
    retry: 0,
    redirect: "manual",
    ignoreResponseError: true,
  };
  // ofetch 1.5.1 ignores a per-request `fetch`: only the instance's global options carry another fetch.
  const globals = options.fetch ? { fetch: options.fetch } : {};
  let fetcher: Promise<$Fetch> | undefined;
  const loadFetcher = (): Promise<$Fetch> => {
    fetcher ??= import("./chatwoot-ofetch.js").then(
      ({ ofetch }) => ofetch.create(defaults, globals),
      (error: unknown) => {
        fetcher = undefined; // A failed load is tried again by the next call.
        throw error;
      },
    );
    return fetcher;
  };
  return {
    fetcher: loadFetcher,
    timeoutMs: options.timeoutMs,
    budgetMs: options.budgetMs,
    random: options.random ?? Math.random,
    metrics: options.metrics ?? noMetrics,
    deadline: options.deadline,
  };
}

/** Both spellings: Rack maps them to one key, and nginx drops the underscore one (CONTRACT.md §2.0). */
export function chatwootHeaders(token: string): Record<string, string> {
  return { api_access_token: token, "api-access-token": token, accept: "application/json" };
}

/**
 * One logical call: attempts with jittered backoff (Chatwoot's 429 carries no Retry-After, CONTRACT.md §5), all
 * within the call's budget and the invocation's deadline. When none is left the last failure stands: a 429 or 503
 * reaches the client as 503 with Retry-After.
 */
export async function callChatwoot(http: ChatwootHttp, call: ChatwootCall): Promise<unknown> {
  const timeoutMs = call.timeoutMs ?? http.timeoutMs;
  const deadline = Date.now() + boundedMs(http.deadline, Math.max(http.budgetMs, timeoutMs));
  if (deadline - Date.now() < MIN_ATTEMPT_MS) throw outOfTime(call.operation);
  for (let attempt = 1; ; attempt++) {
    try {
      return await measuredAttempt(http, call, Math.min(timeoutMs, Math.max(1, deadline - Date.now())));
    } catch (error) {
      if (!(error instanceof ChatwootError) || !isRetryable(error, call) || attempt >= MAX_ATTEMPTS) throw error;
      const delayMs = Math.round(http.random() * BACKOFF_BASE_MS * 2 ** (attempt - 1));
      if (Date.now() + delayMs + Math.max(MIN_ATTEMPT_MS, timeoutMs / 4) > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}

/** Nothing was sent: the invocation has no time left for an attempt, so the client may retry (503). */
function outOfTime(operation: string): ChatwootError {
  const reason = "The request ran out of time before it could call Chatwoot";
  return new ChatwootError({ operation, kind: "unavailable", retryAfterSeconds: 1, reason });
}

function isRetryable(error: ChatwootError, call: ChatwootCall): boolean {
  if (call.retry === "never") return false;
  if (call.retry === "safe") return error.kind === "unavailable" || error.kind === "failed" || error.kind === "timeout";
  // A create refused before processing (429 from rack-attack, 503 from the proxy, connection refused) stored nothing.
  return error.kind === "unavailable";
}

/** Every attempt counts, retries included: they are the calls Chatwoot (and its rate limit) sees. */
async function measuredAttempt(http: ChatwootHttp, call: ChatwootCall, timeoutMs: number): Promise<unknown> {
  const startedMs = Date.now();
  let outcome = "ok";
  try {
    return await attemptOnce(http, call, timeoutMs);
  } catch (error) {
    outcome = error instanceof ChatwootError ? error.kind : "local_error";
    throw error;
  } finally {
    http.metrics.put(
      { Outcome: outcome, Operation: call.operation },
      { ChatwootCalls: count(), ChatwootLatency: milliseconds(Date.now() - startedMs) },
    );
  }
}

async function attemptOnce(http: ChatwootHttp, call: ChatwootCall, timeoutMs: number): Promise<unknown> {
  const fetcher = await http.fetcher();
  let response: FetchResponse<unknown>;
  // ofetch's own `timeout` is cleared once the headers arrive; this one also bounds reading the answer's body, so a
  // Chatwoot that sends headers and then stalls cannot hold the call past CHATWOOT_TIMEOUT_MS.
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(timeoutError()), timeoutMs);
  try {
    response = await fetcher.raw(call.path, {
      method: call.method,
      body: call.body,
      query: call.query,
      signal: controller.signal,
    });
  } catch (error) {
    // ofetch's FetchError holds the request (the token header) and its message the URL: only its kind leaves here.
    const kind = transportFailure(error);
    if (kind === undefined) throw new LocalCallError(call.operation, error);
    throw new ChatwootError({ operation: call.operation, kind });
  } finally {
    clearTimeout(timer);
  }
  if (response.status >= 200 && response.status < 300) return response._data;
  throw statusFailure(call.operation, response.status, response._data);
}

/**
 * Timeout or network failure as Chatwoot's; undefined when no request left this process (a URL fetch refuses to
 * build, a body that cannot be encoded): that is our failure, and answering chatwoot_timeout would invite retries.
 */
function transportFailure(error: unknown): ChatwootFailureKind | undefined {
  // Our deadline fired while the answer's body was being read (before that, ofetch wraps it as the cause).
  if (error instanceof Error && error.name === "TimeoutError") return "timeout";
  const cause = error instanceof Error ? error.cause : undefined;
  // Encoding the body (JSON.stringify) fails before any fetch, with no cause.
  if (!(cause instanceof Error)) return undefined;
  if (cause.name === "TimeoutError" || cause.name === "AbortError") return "timeout";
  if (cause.message === "fetch failed") {
    // undici's network failures are TypeError("fetch failed") around an error with a code (errno or UND_ERR_*).
    const network = Reflect.get(cause, "cause");
    const code = network instanceof Error ? Reflect.get(network, "code") : undefined;
    // Refused or unresolvable: the request never reached Chatwoot, so nothing was stored.
    if (code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "EAI_AGAIN") return "unavailable";
    return "timeout";
  }
  // ofetch wraps what fetch threw; fetch refusing to build the request (a URL with credentials) sent nothing.
  if (error instanceof Error && error.name === "FetchError") return undefined;
  // Thrown while reading the answer (undici's TypeError("terminated") when the body is cut): the request reached
  // Chatwoot, which may have stored it, so the outcome is unknown.
  return "timeout";
}

/**
 * Seconds until Chatwoot's rate-limit window turns: rack-attack counts per fixed period (its cache key holds
 * `now / period`), 60 s for `req/ip` (CONTRACT.md §5), and sends no Retry-After. At least 1, at most 60.
 */
export function nextWindowSeconds(nowMs = Date.now()): number {
  return Math.max(1, 60 - Math.floor((nowMs / 1000) % 60));
}

/** The abort reason of a call past its deadline, named as fetch names its own timeouts. */
function timeoutError(): Error {
  const error = new Error("The Chatwoot call did not finish within CHATWOOT_TIMEOUT_MS");
  error.name = "TimeoutError";
  return error;
}

function statusFailure(operation: string, status: number, data: unknown): ChatwootError {
  if (status === 404) return new ChatwootError({ operation, kind: "not_found", status });
  if (status === 429)
    return new ChatwootError({ operation, kind: "unavailable", status, retryAfterSeconds: nextWindowSeconds() });
  if (status === 503) return new ChatwootError({ operation, kind: "unavailable", status, retryAfterSeconds: 5 });
  if (status === 422 || status === 400) {
    return new ChatwootError({ operation, kind: "rejected", status, ...chatwootRejection(data) });
  }
  return new ChatwootError({ operation, kind: "failed", status });
}
