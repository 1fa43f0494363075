// Finds a message the bridge may already have posted, by its deterministic source_id (Chatwoot does not dedupe it).
import { isChatwootError } from "./errors.js";
import type { InboundDeps } from "./inbound-deps.js";
import type { ChatwootApi, ConversationSummary, PostedMessage } from "./ports.js";

/** Pages of 20 looked at, newest first: a retry comes soon after its attempt, so the message is recent. */
const MAX_PAGES = 5;

export async function findMessageBySourceId(
  chatwoot: ChatwootApi,
  conversationId: number,
  sourceId: string,
): Promise<number | undefined> {
  let before: number | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const messages = await chatwoot.listMessages(conversationId, before !== undefined ? { before } : {});
    const found = messages.find((m) => m.sourceId === sourceId);
    if (found) return found.id;
    if (messages.length < 20) return undefined;
    before = Math.min(...messages.map((m) => m.id));
  }
  return undefined;
}

/** What recovery's first look saw in the conversation the user's mapping names. */
export type MappedLookup =
  /** The mapping names no conversation (or one whose create had an unknown outcome). */
  | { kind: "unmapped" }
  /** Chatwoot answered 404 for it: the message is not there, and the conversation must be replaced. */
  | { kind: "gone"; conversationId: number }
  | { kind: "missing"; conversationId: number }
  | { kind: "found"; conversationId: number; posted: PostedMessage };

/**
 * Recovery's first look, before any file is downloaded again: the message in the conversation the user's mapping
 * names. When the mapping names none, the full resolution decides where to look.
 */
export async function findInMappedConversation(
  deps: InboundDeps,
  userId: string,
  sourceId: string,
  threadId?: string,
): Promise<MappedLookup> {
  const mapping = (await deps.store.getUser(userId, threadId))?.mapping;
  const conversationId = mapping?.conversationId;
  if (!mapping || conversationId === undefined || mapping.conversationUnknown) return { kind: "unmapped" };
  let chatwootMessageId: number | undefined;
  try {
    chatwootMessageId = await findMessageBySourceId(deps.chatwoot, conversationId, sourceId);
  } catch (error) {
    if (isChatwootError(error, "not_found")) return { kind: "gone", conversationId };
    throw error;
  }
  if (chatwootMessageId === undefined) return { kind: "missing", conversationId };
  const posted = {
    messageId: null,
    chatwootMessageId,
    conversationId,
    contactId: mapping.contactId,
    sourceId: mapping.sourceId,
  };
  return { kind: "found", conversationId, posted };
}

/** Unmapped conversations looked into: a timed-out create is among the contact's newest. */
const MAX_UNMAPPED = 3;

/**
 * A thread's conversation create whose outcome is unknown: the contact's newest conversation that no (user, thread)
 * maps and that holds the message it was created with. Chatwoot alone cannot tell which thread a conversation is
 * for, so the carried message decides.
 */
export async function findCarryingConversation(
  deps: InboundDeps,
  contactId: number,
  sourceId: string,
): Promise<ConversationSummary | undefined> {
  for (const conversation of await unmappedConversations(deps, contactId)) {
    const found = await findMessageBySourceId(deps.chatwoot, conversation.conversationId, sourceId);
    if (found !== undefined) return conversation;
  }
  return undefined;
}

/** The contact's newest conversations (at most MAX_UNMAPPED) that no (user, thread) maps yet, newest first. */
export async function unmappedConversations(deps: InboundDeps, contactId: number): Promise<ConversationSummary[]> {
  const unmapped: ConversationSummary[] = [];
  for (const conversation of await deps.chatwoot.listContactConversations(contactId)) {
    if (unmapped.length >= MAX_UNMAPPED) break;
    if ((await deps.store.findUserByConversation(conversation.conversationId)) === undefined) {
      unmapped.push(conversation);
    }
  }
  return unmapped;
}
