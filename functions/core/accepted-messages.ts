// Accepted now, posted later (spec §3.3 `Prefer: respond-async`): acceptMessage() settles the message_id against its
// idempotency record and queues the message durably, before any Chatwoot call; the inbound worker posts it later.
import { createHash } from "node:crypto";
import { idempotencyConflict, QUEUED_OWNER_PREFIX } from "./message-claims.js";
import { RECORD_TTL_SECONDS } from "./messages.js";
import type { Clock, EventQueue, MappingStore, PostedMessage, QueuedEvent } from "./ports.js";

export const MESSAGE_ACCEPTED = "message.accepted";

export interface AcceptDeps {
  store: MappingStore;
  inboundQueue: EventQueue;
  clock: Clock;
  newId: () => string;
}

/** One message accepted for later: who sent it, what tells its retries from reuse, and the queue record's body. */
export interface AcceptedMessage {
  userId: string;
  messageId: string;
  fingerprint: string;
  /** The validated request as the client sent it (snake_case), which the worker reads with the same schema. */
  request: unknown;
}

export type Acceptance = { kind: "queued" } | { kind: "duplicate"; result: PostedMessage };

export async function acceptMessage(deps: AcceptDeps, message: AcceptedMessage): Promise<Acceptance> {
  const existing = await holdMessageId(deps, message);
  if (existing?.result) return { kind: "duplicate", result: existing.result };
  // Queued again when it already was: the worker's claim posts the message once whatever the queue holds.
  await deps.inboundQueue.enqueue(acceptedRecord(message, new Date(deps.clock.now()).toISOString()));
  return { kind: "queued" };
}

/**
 * Writes the message_id's record unless one exists: `pending` under a lease that has already ended and a queued
 * owner, so the worker (or a synchronous retry) takes it over at once without looking for it in Chatwoot first.
 * Returns the finished result when the message was posted already; refuses other content (409).
 */
export async function holdMessageId(
  deps: Omit<AcceptDeps, "inboundQueue">,
  message: Omit<AcceptedMessage, "request">,
): Promise<{ result?: PostedMessage } | undefined> {
  const now = deps.clock.now();
  const begun = await deps.store.beginMessage({
    userId: message.userId,
    messageId: message.messageId,
    fingerprint: message.fingerprint,
    state: "pending",
    leaseOwner: `${QUEUED_OWNER_PREFIX}${deps.newId()}`,
    leaseUntil: 0,
    expiresAt: Math.floor(now / 1000) + RECORD_TTL_SECONDS,
  });
  if (begun.started) return undefined;
  if (begun.existing.fingerprint !== message.fingerprint) throw idempotencyConflict();
  return begun.existing.state === "done" && begun.existing.result ? { result: begun.existing.result } : {};
}

/** One user's messages share a FIFO group, so they reach Chatwoot in the order they were accepted. */
export function userGroup(userId: string): string {
  return `user-${sha256(userId)}`;
}

function acceptedRecord(message: AcceptedMessage, acceptedAt: string): QueuedEvent {
  return {
    groupId: userGroup(message.userId),
    // Each acceptance is its own record: a message accepted again after its failure must not be dropped as a repeat
    // of the first within SQS's 5-minute window. The worker's claim still posts it once.
    deduplicationId: sha256(JSON.stringify([message.userId, message.messageId, acceptedAt])),
    body: JSON.stringify({ type: MESSAGE_ACCEPTED, acceptedAt, request: message.request }),
  };
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
