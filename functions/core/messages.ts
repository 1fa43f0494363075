// postMessage(): one user message into Chatwoot exactly once. The plan, in order: claim the message_id (the
// idempotency record comes first), let a retry after an unknown outcome look for the earlier attempt's message,
// download the files, find or open the user's conversation (a new one carries the message), post, record the outcome.
import { isChatwootError } from "./errors.js";
import { fingerprint, messageSourceId } from "./identity.js";
import type { MessageDeps } from "./inbound-deps.js";
import { loadAttachments } from "./message-attachments.js";
import { claimMessage, completeClaim, releaseClaim } from "./message-claims.js";
import { findInMappedConversation, findMessageBySourceId } from "./message-lookup.js";
import type { ContactProfile, InboundAttachment, IncomingMessage, Mapping, PostedMessage } from "./ports.js";
import { resolveConversation, type PrefetchedUser } from "./users.js";
import { quoteAttributes, resolveQuote, type ReplyTo } from "./message-quote.js";

export interface PostMessageInput {
  userId: string;
  /** Absent for the user's default thread. */
  threadId?: string;
  messageId?: string;
  content?: string;
  /** Inline files and URLs; URLs are downloaded after the idempotency claim, before any Chatwoot call. */
  attachments?: InboundAttachment[];
  /** What identifies the attachments for idempotency (their URL or data digest), in order. */
  attachmentKeys?: string[];
  contact?: ContactProfile;
  /** The earlier message of the same conversation this one quotes (spec §3.3). */
  replyTo?: ReplyTo;
  /** When the user sent it (ISO 8601): Chatwoot's external_created_at. */
  sentAt?: string;
  /** Extra content_attributes (an edit's `edited: true`, spec §3.7), merged with the quote's. */
  contentAttributes?: Record<string, unknown>;
}

export interface PostMessageResult extends PostedMessage {
  duplicate: boolean;
}

/** Idempotency records live this long (DynamoDB TTL): far beyond any client's retry window. */
export const RECORD_TTL_SECONDS = 30 * 24 * 3600;

/** One attempt at posting: what it sends and whether an earlier attempt may already have stored it. */
interface Attempt {
  input: PostMessageInput;
  sourceId: string;
  recover: boolean;
  prefetched: Promise<PrefetchedUser>;
}

/** Where the message ended up; `found` when an earlier attempt had stored it (answered as a duplicate). */
interface Outcome {
  posted: PostedMessage;
  found: boolean;
}

export async function postMessage(deps: MessageDeps, input: PostMessageInput): Promise<PostMessageResult> {
  const { userId, messageId } = input;
  // The mapping read runs alongside the idempotency claim: one DynamoDB round trip less per message.
  const prefetched = prefetchUser(deps, userId, input.threadId);
  // Without a message_id there is nothing to claim: such a message is not idempotent.
  const claim = messageId
    ? await claimMessage(deps, { userId, messageId }, messageFingerprintOf(input), RECORD_TTL_SECONDS)
    : undefined;
  // A retry of a message already posted is a duplicate even when its quote could no longer be resolved (spec §3.3).
  if (claim?.kind === "duplicate") {
    // Its index entry was written beside the claim's completion and may have failed: the retry writes it again, at
    // best effort (the duplicate is answered whatever the index does; a later retry tries again).
    if (messageId) await indexMessage(deps, claim.result, { userId, messageId }).catch(() => undefined);
    return { ...claim.result, duplicate: true };
  }

  const held = claim?.held;
  // A quote that names no message of the conversation is refused, and the claim released: nothing stays written.
  const { messageIndex } = deps;
  let quoted: Awaited<ReturnType<typeof resolveQuote>> | undefined;
  try {
    quoted =
      input.replyTo && messageIndex
        ? await resolveQuote({ ...deps, messageIndex }, { ...input, replyTo: input.replyTo })
        : undefined;
  } catch (error) {
    if (held) await releaseClaim(deps, held, error);
    throw error;
  }
  const attributes = { ...(quoted ? quoteAttributes(quoted) : {}), ...input.contentAttributes };
  const sending = Object.keys(attributes).length ? { ...input, contentAttributes: attributes } : input;
  const sourceId = messageSourceId(userId, messageId ?? `auto-${deps.newId()}`);
  let outcome: Outcome;
  try {
    outcome = await deliver(deps, { input: sending, sourceId, recover: held?.recover ?? false, prefetched });
  } catch (error) {
    if (held) await releaseClaim(deps, held, error);
    throw error;
  }
  // The index entry and the claim's completion are independent writes: sent together, one round trip instead of two.
  // Either failing fails the request: an unfinished claim turns unknown (the retry finds the message and indexes
  // it); a completed claim makes the retry a duplicate, which indexes it again.
  const [indexed, completed] = await Promise.allSettled([
    messageId ? indexMessage(deps, outcome.posted, { userId, messageId }) : undefined,
    held ? completeClaim(deps, held, outcome.posted) : undefined,
  ]);
  if (completed.status === "rejected") {
    if (held) await releaseClaim(deps, held, completed.reason);
    throw completed.reason;
  }
  if (indexed.status === "rejected") throw indexed.reason;
  return { ...outcome.posted, duplicate: outcome.found };
}

/** The message under its user's message_id, for quotes, edits and deletions (message-index-port.ts). */
async function indexMessage(
  deps: MessageDeps,
  posted: PostedMessage,
  user: { userId: string; messageId: string },
): Promise<void> {
  if (!deps.messageIndex) return;
  const sourceId = messageSourceId(user.userId, user.messageId);
  const { conversationId, chatwootMessageId } = posted;
  await deps.messageIndex.record({ conversationId, chatwootMessageId, user: { ...user, sourceId } });
}

/** Recovery's first look, the downloads, the conversation and the post; a vanished conversation is replaced once. */
async function deliver(deps: MessageDeps, attempt: Attempt): Promise<Outcome> {
  const { input, recover } = attempt;
  // Found where the mapping points: neither downloaded nor uploaded again (spec §3.3).
  const checked = recover
    ? await findInMappedConversation(deps, input.userId, attempt.sourceId, input.threadId)
    : undefined;
  if (checked?.kind === "found") {
    return { posted: { ...checked.posted, messageId: input.messageId ?? null }, found: true };
  }

  const message = await prepare(deps, input, attempt.sourceId);
  // A mapped conversation recovery found gone is replaced at once: looking or posting there again would only 404.
  let stale = checked?.kind === "gone" ? checked.conversationId : undefined;
  const lookedIn = checked?.kind === "missing" ? checked.conversationId : undefined;
  for (let round = 0; round < 2; round++) {
    const user = await resolveConversation(deps, {
      userId: input.userId,
      ...(input.threadId !== undefined ? { threadId: input.threadId } : {}),
      carry: message,
      recover,
      ...(round === 0 ? { prefetched: attempt.prefetched } : {}),
      ...(input.contact ? { profile: input.contact } : {}),
      ...(stale !== undefined ? { staleConversationId: stale } : {}),
    });
    const posted = postedAs(input, user.mapping, user.conversationId);
    if (user.carried) {
      const carriedId = user.carried.chatwootMessageId ?? (await findCarried(deps, user.conversationId, message));
      return { posted: posted(carriedId), found: false };
    }
    // Recovery has not looked in this conversation yet: the mapping named none, or another one.
    if (recover && user.conversationId !== lookedIn) {
      const found = await findMessageBySourceId(deps.chatwoot, user.conversationId, message.sourceId);
      if (found !== undefined) return { posted: posted(found), found: true };
    }
    try {
      const { messageId } = await deps.chatwoot.createMessage(user.conversationId, message);
      return { posted: posted(messageId), found: false };
    } catch (error) {
      // The mapped conversation is gone from Chatwoot: replace it once (self-healing).
      if (!isChatwootError(error, "not_found") || round > 0) throw error;
      stale = user.conversationId;
    }
  }
  // Unreachable: the second round returns or throws. TypeScript cannot see it through the loop.
  throw new Error("postMessage: no round posted the message");
}

async function prepare(deps: MessageDeps, input: PostMessageInput, sourceId: string): Promise<IncomingMessage> {
  const files = await loadAttachments(deps.attachments, input.attachments ?? []);
  return {
    sourceId,
    ...(input.content !== undefined ? { content: input.content } : {}),
    ...(files.length ? { attachments: files } : {}),
    ...(input.contentAttributes ? { contentAttributes: input.contentAttributes } : {}),
    ...(input.sentAt ? { externalCreatedAt: input.sentAt } : {}),
  };
}

/** The message went out with a new conversation whose answer did not name it: it must be there. */
async function findCarried(deps: MessageDeps, conversationId: number, message: IncomingMessage): Promise<number> {
  const found = await findMessageBySourceId(deps.chatwoot, conversationId, message.sourceId);
  if (found === undefined) throw new Error("The new conversation does not hold the message it was created with");
  return found;
}

function postedAs(input: PostMessageInput, mapping: Mapping, conversationId: number) {
  return (chatwootMessageId: number): PostedMessage => ({
    messageId: input.messageId ?? null,
    chatwootMessageId,
    conversationId,
    contactId: mapping.contactId,
    sourceId: mapping.sourceId,
  });
}

/** What tells a retry of a message_id from its reuse: the same for a message posted now or accepted for later. */
export function messageFingerprintOf(input: PostMessageInput): string {
  return fingerprint(messageFingerprint(input));
}

function messageFingerprint(input: PostMessageInput): unknown {
  // The thread counts only when named, so records written before threads keep their fingerprints.
  const thread = input.threadId !== undefined ? { thread: input.threadId } : {};
  // Likewise the quote, the send time and extra attributes: a message_id reused with another quote is a conflict.
  const extras = {
    ...(input.replyTo ? { replyTo: input.replyTo } : {}),
    ...(input.sentAt ? { sentAt: input.sentAt } : {}),
    ...(input.contentAttributes ? { attributes: input.contentAttributes } : {}),
  };
  return { content: input.content ?? null, attachments: input.attachmentKeys ?? [], ...thread, ...extras };
}

/** Starts the user's mapping read early. It never rejects: a failed read just means resolveUser reads again. */
function prefetchUser(deps: MessageDeps, userId: string, threadId?: string): Promise<PrefetchedUser> {
  return deps.store.getUser(userId, threadId).then(
    (record) => ({ record }),
    () => undefined,
  );
}
