// postAccepted(): one attempt at posting a message accepted with `Prefer: respond-async` (spec §3.3), and what
// follows: posted, failed for good (Chatwoot refused it, or INBOUND_RETRY_WINDOW is spent), or retried later.
import { holdMessageId } from "./accepted-messages.js";
import { BridgeError, ChatwootError, type ErrorCode, toBridgeError } from "./errors.js";
import type { MessageDeps } from "./inbound-deps.js";
import { messageFingerprintOf, type PostMessageInput, type PostMessageResult, postMessage } from "./messages.js";

export interface PostAcceptedDeps extends MessageDeps {
  config: MessageDeps["config"] & { inboundRetryWindowMs: number };
  /** Seconds before attempt `attempt + 1`; injectable so tests need not wait out an outage. */
  retryDelaySeconds?: (attempt: number) => number;
}

export type PostingOutcome =
  | { kind: "posted"; posted: PostMessageResult }
  | { kind: "failed"; code: ErrorCode; message: string }
  | { kind: "retry"; delaySeconds: number; code: ErrorCode };

/** Codes that say "not now" rather than "never": Chatwoot down, 5xx, 429, a timeout, our store, a concurrent post. */
const RETRYABLE: ReadonlySet<ErrorCode> = new Set([
  "chatwoot_error",
  "chatwoot_unavailable",
  "chatwoot_timeout",
  "in_progress",
  "internal_error",
]);

/** The backoff: 5 s, doubling, at most 5 minutes, so Chatwoot coming back is noticed within minutes. */
const FIRST_RETRY_SECONDS = 5;
export const MAX_RETRY_SECONDS = 300;

export function backoffSeconds(attempt: number): number {
  return Math.min(FIRST_RETRY_SECONDS * 2 ** Math.max(0, attempt - 1), MAX_RETRY_SECONDS);
}

export async function postAccepted(
  deps: PostAcceptedDeps,
  input: PostMessageInput & { messageId: string },
  timing: { acceptedAtMs: number; attempt: number },
): Promise<PostingOutcome> {
  try {
    return { kind: "posted", posted: await postMessage(deps, input) };
  } catch (error) {
    const failure = callerError(error);
    if (!RETRYABLE.has(failure.code)) return { kind: "failed", code: failure.code, message: failure.message };
    const leftMs = timing.acceptedAtMs + deps.config.inboundRetryWindowMs - deps.clock.now();
    if (leftMs <= 0) {
      const window = formatWindow(deps.config.inboundRetryWindowMs);
      return { kind: "failed", code: failure.code, message: `Not posted within ${window}: ${failure.message}` };
    }
    // postMessage frees the message_id when Chatwoot stored nothing (a 429 or 503); while the message waits it
    // stays held, so a repeat is answered 202 and other content under its id 409.
    await holdMessageId(deps, {
      userId: input.userId,
      messageId: input.messageId,
      fingerprint: messageFingerprintOf(input),
    });
    // Chatwoot's 429 carries no Retry-After (CONTRACT.md §5): the backoff alone paces the attempts.
    const delay = (deps.retryDelaySeconds ?? backoffSeconds)(timing.attempt);
    return { kind: "retry", delaySeconds: Math.min(delay, Math.ceil(leftMs / 1000)), code: failure.code };
  }
}

/** What a synchronous caller would have been answered; anything unexpected (the store down) is internal_error. */
function callerError(error: unknown): BridgeError {
  if (error instanceof BridgeError) return error;
  if (error instanceof ChatwootError) return toBridgeError(error);
  return new BridgeError("internal_error", "The bridge could not post the message");
}

function formatWindow(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return `${Math.ceil(ms / 1000)}s`;
}
