// The idempotency record of a message_id: claimMessage() decides whether this request posts the message, recovers an
// attempt whose outcome is unknown, or answers with the stored result; completeClaim()/releaseClaim() settle it.
import { BridgeError, isChatwootError } from "./errors.js";
import { leaseMs, waitFor, type InboundDeps } from "./inbound-deps.js";
import type { MessageRecord, PostedMessage } from "./ports.js";

/** The record this request holds, under its lease. */
export interface HeldMessage {
  userId: string;
  messageId: string;
  owner: string;
  /** A previous attempt may have stored the message: look it up before posting. */
  recover: boolean;
}

export type MessageClaim = { kind: "held"; held: HeldMessage } | { kind: "duplicate"; result: PostedMessage };

export async function claimMessage(
  deps: InboundDeps,
  key: { userId: string; messageId: string },
  fingerprint: string,
  ttlSeconds: number,
): Promise<MessageClaim> {
  const { userId, messageId } = key;
  const held = (owner: string, recover: boolean): MessageClaim => ({
    kind: "held",
    held: { userId, messageId, owner, recover },
  });
  const claim = await waitFor(deps, async (): Promise<MessageClaim | undefined> => {
    const owner = deps.newId();
    const now = deps.clock.now();
    const begun = await deps.store.beginMessage({
      userId,
      messageId,
      fingerprint,
      state: "pending",
      leaseOwner: owner,
      leaseUntil: now + leaseMs(deps),
      expiresAt: Math.floor(now / 1000) + ttlSeconds,
    });
    if (begun.started) return held(owner, false);
    const existing = begun.existing;
    if (existing.fingerprint !== fingerprint) throw idempotencyConflict();
    if (existing.state === "done" && existing.result) return { kind: "duplicate", result: existing.result };
    const expired = existing.state === "unknown" || (existing.leaseUntil ?? 0) < now;
    if (expired && (await deps.store.takeOverMessage(userId, messageId, owner, now + leaseMs(deps), now))) {
      // A message accepted for later that no attempt has held yet cannot be in Chatwoot: no lookup first.
      return held(owner, !isQueuedRecord(existing));
    }
    return undefined; // Another request is posting it right now: wait for its outcome.
  });
  if (!claim) {
    const message = "The same message is still being posted by another request; retry shortly";
    throw new BridgeError("in_progress", message, { retryAfterSeconds: 2 });
  }
  return claim;
}

export async function completeClaim(deps: InboundDeps, held: HeldMessage, result: PostedMessage): Promise<void> {
  await deps.store.completeMessage(held.userId, held.messageId, held.owner, result);
}

/**
 * After a failed attempt: only a refusal of ours or a Chatwoot answer that stored nothing frees the message_id for a
 * corrected retry; anything else (a timeout, a 5xx, an unexpected error after a call, a recovery) may have stored it,
 * so the record turns `unknown` and the retry looks the message up before posting.
 */
export async function releaseClaim(deps: InboundDeps, held: HeldMessage, error: unknown): Promise<void> {
  const storedNothing =
    error instanceof BridgeError ||
    isChatwootError(error, "rejected") ||
    isChatwootError(error, "not_found") ||
    isChatwootError(error, "unavailable");
  if (held.recover || !storedNothing) await deps.store.markMessageUnknown(held.userId, held.messageId, held.owner);
  else await deps.store.abandonMessage(held.userId, held.messageId, held.owner);
}

/** The same message_id with other content (spec §3.3: 409). */
export function idempotencyConflict(): BridgeError {
  return new BridgeError("idempotency_conflict", "This message_id was already used for a different message", {
    details: [{ path: "message_id", message: "already used with other content" }],
  });
}

/** The lease owner of a record written by acceptMessage (accepted-messages.ts) and not held by any attempt since. */
export const QUEUED_OWNER_PREFIX = "queued-";

function isQueuedRecord(record: MessageRecord): boolean {
  return record.state === "pending" && (record.leaseOwner?.startsWith(QUEUED_OWNER_PREFIX) ?? false);
}
