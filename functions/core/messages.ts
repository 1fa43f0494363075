// postMessage(): one user message into Chatwoot exactly once. The idempotency record is written first, files named
// by URL are downloaded next, before any Chatwoot call; after an ambiguous failure the retry looks the message up
// by its deterministic source_id (before downloading again, where the mapping names the conversation).
import { BridgeError, isChatwootError } from "./errors.js";
import { fingerprint, messageSourceId } from "./identity.js";
import type { InboundDeps } from "./inbound-deps.js";
import { loadAttachments } from "./message-attachments.js";
import { claimMessage, type MessageClaim } from "./message-claims.js";
import { findInMappedConversation, findMessageBySourceId } from "./message-lookup.js";
import type { ContactProfile, InboundAttachment, IncomingMessage, PostedMessage } from "./ports.js";
import { resolveUser, type PrefetchedUser } from "./users.js";

export interface PostMessageInput {
  userId: string;
  messageId?: string;
  content?: string;
  /** Inline files and URLs; URLs are downloaded after the idempotency claim, before any Chatwoot call. */
  attachments?: InboundAttachment[];
  /** What identifies the attachments for idempotency (their URL or data digest), in order. */
  attachmentKeys?: string[];
  contact?: ContactProfile;
}

export interface PostMessageResult extends PostedMessage {
  duplicate: boolean;
}

/** Idempotency records live this long (DynamoDB TTL): far beyond any client's retry window. */
const RECORD_TTL_SECONDS = 30 * 24 * 3600;

export async function postMessage(deps: InboundDeps, input: PostMessageInput): Promise<PostMessageResult> {
  const messageId = input.messageId ?? `auto-${deps.newId()}`;
  // The mapping read runs alongside the idempotency claim: one DynamoDB round trip less per message.
  const prefetched = prefetchUser(deps, input.userId);
  const claim = input.messageId
    ? await claimMessage(
        deps,
        input.userId,
        input.messageId,
        fingerprint(messageFingerprint(input)),
        RECORD_TTL_SECONDS,
      )
    : ({ kind: "fresh", owner: deps.newId() } satisfies MessageClaim);
  if (claim.kind === "duplicate") return { ...claim.result, duplicate: true };

  const sourceId = messageSourceId(input.userId, messageId);
  const recover = claim.kind === "recover";
  try {
    // A retry after an unknown outcome looks first, so a stored message is neither downloaded nor uploaded again.
    const early = recover ? await findInMappedConversation(deps, input.userId, sourceId) : undefined;
    const result = early?.posted
      ? { posted: { ...early.posted, messageId: input.messageId ?? null }, found: true }
      : await send(deps, input, await prepare(deps, input, sourceId), {
          recover,
          checkedConversationId: early?.conversationId,
          prefetched,
        });
    if (input.messageId) await deps.store.completeMessage(input.userId, input.messageId, claim.owner, result.posted);
    // Found in Chatwoot: the earlier attempt whose outcome was unknown had stored it (spec §3.3).
    return { ...result.posted, duplicate: result.found };
  } catch (error) {
    if (input.messageId) {
      // Only a refusal of ours or a Chatwoot answer that stored nothing frees the message_id for a corrected retry;
      // anything else (a timeout, a 5xx, an unexpected error after a call, a recovery) may have stored it.
      const storedNothing =
        error instanceof BridgeError ||
        isChatwootError(error, "rejected") ||
        isChatwootError(error, "not_found") ||
        isChatwootError(error, "unavailable");
      const maybeStored = recover || !storedNothing;
      if (maybeStored) await deps.store.markMessageUnknown(input.userId, input.messageId, claim.owner);
      else await deps.store.abandonMessage(input.userId, input.messageId, claim.owner);
    }
    throw error;
  }
}

async function prepare(deps: InboundDeps, input: PostMessageInput, sourceId: string): Promise<IncomingMessage> {
  const files = await loadAttachments(deps.attachments, input.attachments ?? []);
  return {
    sourceId,
    ...(input.content !== undefined ? { content: input.content } : {}),
    ...(files.length ? { attachments: files } : {}),
  };
}

async function send(
  deps: InboundDeps,
  input: PostMessageInput,
  message: IncomingMessage,
  options: { recover: boolean; checkedConversationId: number | undefined; prefetched: Promise<PrefetchedUser> },
): Promise<{ posted: PostedMessage; found: boolean }> {
  const { recover, checkedConversationId } = options;
  let stale: number | undefined;
  for (let round = 0; round < 2; round++) {
    const user = await resolveUser(deps, {
      userId: input.userId,
      conversation: true,
      message,
      recover,
      ...(round === 0 ? { prefetched: options.prefetched } : {}),
      ...(input.contact ? { profile: input.contact } : {}),
      ...(stale !== undefined ? { staleConversationId: stale } : {}),
    });
    const { mapping } = user;
    const conversationId = mapping.conversationId;
    if (conversationId === undefined) throw new Error("resolveUser returned no conversation");
    const view = (chatwootMessageId: number): PostedMessage => ({
      messageId: input.messageId ?? null,
      chatwootMessageId,
      conversationId,
      contactId: mapping.contactId,
      sourceId: mapping.sourceId,
    });
    if (user.postedMessageId !== undefined) return { posted: view(user.postedMessageId), found: false };
    if (user.messageSent || (recover && conversationId !== checkedConversationId)) {
      const found = await findMessageBySourceId(deps.chatwoot, conversationId, message.sourceId);
      if (found !== undefined) return { posted: view(found), found: !user.messageSent };
      if (user.messageSent) throw new Error("The new conversation does not hold the message it was created with");
    }
    try {
      const { messageId: chatwootMessageId } = await deps.chatwoot.createMessage(conversationId, message);
      return { posted: view(chatwootMessageId), found: false };
    } catch (error) {
      // The mapped conversation is gone from Chatwoot: replace it once (self-healing).
      if (!isChatwootError(error, "not_found") || round > 0) throw error;
      stale = conversationId;
    }
  }
  throw new BridgeError("chatwoot_error", "Chatwoot lost the conversation twice");
}

function messageFingerprint(input: PostMessageInput): unknown {
  return { content: input.content ?? null, attachments: input.attachmentKeys ?? [] };
}

/** Starts the user's mapping read early. It never rejects: a failed read just means resolveUser reads again. */
function prefetchUser(deps: InboundDeps, userId: string): Promise<PrefetchedUser> {
  return deps.store.getUser(userId).then(
    (record) => ({ record }),
    () => undefined,
  );
}
