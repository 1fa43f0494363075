// One error vocabulary for the whole bridge: codes are the spec's (§3.6); edge/errors-http.ts alone maps them to HTTP.

export type ErrorCode =
  | "invalid_json"
  | "validation_failed"
  | "unauthorized"
  | "not_found"
  | "idempotency_conflict"
  | "payload_too_large"
  | "unsupported_media_type"
  /** Ours, not Chatwoot's: another request is setting up the same user or posting the same message. */
  | "in_progress"
  | "chatwoot_rejected"
  | "chatwoot_error"
  | "chatwoot_unavailable"
  | "chatwoot_timeout"
  | "internal_error";

export interface ErrorDetail {
  path: string;
  message: string;
}

export interface BridgeErrorOptions {
  details?: ErrorDetail[];
  retryAfterSeconds?: number;
  cause?: unknown;
}

/** A failure the caller may see: `message` must be safe to show (no secrets, no user content). */
export class BridgeError extends Error {
  override readonly name = "BridgeError";
  readonly code: ErrorCode;
  readonly details: ErrorDetail[] | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(code: ErrorCode, message: string, options: BridgeErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.code = code;
    this.details = options.details;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/** What went wrong talking to Chatwoot. Holds only the status, the operation and Retry-After: bodies may echo user content. */
export class ChatwootError extends Error {
  override readonly name = "ChatwootError";
  readonly status: number | undefined;
  readonly operation: string;
  readonly kind: ChatwootFailureKind;
  readonly retryAfterSeconds: number | undefined;
  /** Chatwoot's `attributes` (422 model validation), e.g. ["identifier"]. Field names only. */
  readonly attributes: string[];
  /** Chatwoot's reason for a 422, kept only for the caller's response (spec §3.6 `chatwoot_rejected`). */
  readonly reason: string | undefined;

  constructor(init: {
    operation: string;
    kind: ChatwootFailureKind;
    status?: number;
    retryAfterSeconds?: number;
    attributes?: string[];
    reason?: string;
  }) {
    super(`${init.operation} failed: ${init.kind}${init.status ? ` (${init.status})` : ""}`);
    this.operation = init.operation;
    this.kind = init.kind;
    this.status = init.status;
    this.retryAfterSeconds = init.retryAfterSeconds;
    this.attributes = init.attributes ?? [];
    this.reason = init.reason;
  }
}

/**
 * A call to Chatwoot that could not even be sent (it was refused while being built, e.g. by the URL or the body):
 * our failure, so the caller sees 500 internal_error, never a chatwoot_* code. Keeps only the error's class name.
 */
export class LocalCallError extends Error {
  override readonly name = "LocalCallError";
  readonly operation: string;
  constructor(operation: string, error: unknown) {
    super(
      `${operation} was not sent: ${error instanceof Error ? error.name : "unknown error"} while building the request`,
    );
    this.operation = operation;
  }
}

/**
 * Why a file could not be downloaded (AttachmentFetcher). Holds the reason and the remote status only,
 * never the URL: it may carry a signed token or a user's data.
 */
export type AttachmentFailureKind =
  | "not_https"
  | "blocked_address"
  | "unresolvable"
  | "unreachable"
  | "timeout"
  | "too_many_redirects"
  | "bad_redirect"
  | "http_status"
  | "too_large"
  | "aborted";

export class AttachmentError extends Error {
  override readonly name = "AttachmentError";
  readonly kind: AttachmentFailureKind;
  readonly status: number | undefined;

  constructor(kind: AttachmentFailureKind, options: { status?: number; cause?: unknown } = {}) {
    super(`attachment download failed: ${kind}${options.status ? ` (${options.status})` : ""}`, {
      cause: options.cause,
    });
    this.kind = kind;
    this.status = options.status;
  }
}

/**
 * `rejected`: Chatwoot answered 4xx (not 404/429) and stored nothing.
 * `not_found`: 404. `unavailable`: 429/503, or refused before sending (nothing stored).
 * `failed`: other 5xx. `timeout`: no answer in time: the outcome is unknown.
 */
export type ChatwootFailureKind = "rejected" | "not_found" | "unavailable" | "failed" | "timeout";

export function isChatwootError(error: unknown, kind?: ChatwootFailureKind): error is ChatwootError {
  return error instanceof ChatwootError && (kind === undefined || error.kind === kind);
}

/** Maps a Chatwoot failure to the caller-facing error of spec §3.6. */
export function toBridgeError(error: ChatwootError): BridgeError {
  switch (error.kind) {
    case "rejected":
      return new BridgeError("chatwoot_rejected", error.reason ?? `Chatwoot refused to ${error.operation}`, {
        cause: error,
      });
    case "timeout":
      return new BridgeError("chatwoot_timeout", `Chatwoot did not answer in time (${error.operation})`, {
        cause: error,
      });
    case "unavailable":
      // No status: the connection was refused or the name did not resolve, so no Chatwoot answered at all.
      return new BridgeError("chatwoot_unavailable", `${unavailable(error)} (${error.operation})`, {
        cause: error,
        retryAfterSeconds: error.retryAfterSeconds ?? 5,
      });
    default:
      return new BridgeError("chatwoot_error", `${failed(error)} (${error.operation})`, { cause: error });
  }
}

function unavailable(error: ChatwootError): string {
  if (error.reason !== undefined) return error.reason;
  if (error.status === 429) return "Chatwoot is rate-limiting the bridge (429); retry after Retry-After";
  return error.status === undefined ? "Chatwoot could not be reached at CHATWOOT_BASE_URL" : "Chatwoot is unavailable";
}

function failed(error: ChatwootError): string {
  if (error.status === 401 || error.status === 403) {
    return `Chatwoot refused the bridge's CHATWOOT_API_TOKEN (${error.status})`;
  }
  return error.status === undefined ? "Chatwoot failed" : `Chatwoot failed with ${error.status}`;
}
