// conversations#create (ContactInboxBuilder source_id rules, status override, lock_to_single_conversation,
// first message) and the ConversationFinder used by the list endpoints (CONTRACT.md §2.4).
import { ensureContactInbox, SourceIdTakenError } from "./contacts.js";
import type { Core } from "./core.js";
import { InvalidEnumError, notFound, unprocessable } from "./errors.js";
import type { MessageDraft } from "./message-draft.js";
import { createMessage } from "./messages.js";
import type { SandboxState } from "./state.js";
import type { ContactInbox, Conversation, ConversationStatus, JsonObject, User } from "./types.js";

export const CONVERSATION_STATUSES: ConversationStatus[] = ["open", "resolved", "pending", "snoozed"];
export const CONVERSATIONS_PER_PAGE = 25;

export function isConversationStatus(value: string): value is ConversationStatus {
  return (CONVERSATION_STATUSES as string[]).includes(value);
}

export interface ConversationInput {
  inboxId?: number;
  contactId?: number;
  sourceId?: string;
  status?: string;
  assigneeId?: number;
  snoozedUntil?: number;
  additionalAttributes: JsonObject;
  customAttributes: JsonObject;
  /** Reads the first message; called after the contact_inbox lookup, so a 404 wins over a bad message. */
  readMessage?: () => MessageDraft;
}

/**
 * With contact_id: the builder (a new contact_inbox per call without source_id; another contact's
 * source_id → 422). Without: a global `find_by!(source_id)`, unscoped (CONTRACT.md §2.4, §8.13).
 */
function resolveContactInbox(core: Core, input: ConversationInput): ContactInbox {
  const { state } = core;
  if (input.contactId !== undefined) {
    const contact = state.contacts.get(input.contactId);
    const inbox = state.inboxById(input.inboxId ?? -1);
    if (contact === undefined || inbox === undefined) throw notFound();
    try {
      return ensureContactInbox(core, contact, inbox, input.sourceId);
    } catch (error) {
      if (error instanceof SourceIdTakenError) throw unprocessable("source_id should be unique");
      throw error;
    }
  }
  const match = [...state.contactInboxes.values()].find(
    (record) => input.sourceId !== undefined && record.sourceId === input.sourceId,
  );
  if (match === undefined) throw notFound();
  return match;
}

/** Returns the conversation and whether it is new (false when the inbox locks to one conversation). */
export function createConversation(
  core: Core,
  input: ConversationInput,
  user: User,
): { conversation: Conversation; created: boolean } {
  const { state } = core;
  // The contact_inbox is built in a before_action, outside the transaction: it survives a later failure.
  const contactInbox = resolveContactInbox(core, input);
  if (input.status !== undefined && !isConversationStatus(input.status))
    throw new InvalidEnumError(`'${input.status}' is not a valid status`);
  const message = input.readMessage?.();
  const locked = state.inbox.lockToSingleConversation
    ? [...state.conversations.values()].filter((c) => c.contactInboxId === contactInbox.id).at(-1)
    : undefined;
  const conversation = locked ?? openConversation(core, contactInbox, input);
  if (locked === undefined) core.events.emit({ event: "conversation_created", conversationId: conversation.id });
  if (message !== undefined) createMessage(core, conversation, message, { user });
  return { conversation, created: locked === undefined };
}

function openConversation(core: Core, contactInbox: ContactInbox, input: ConversationInput): Conversation {
  const { state } = core;
  const now = state.clock();
  const contact = state.contacts.get(contactInbox.contactId);
  const requested = input.status !== undefined && isConversationStatus(input.status) ? input.status : "open";
  const conversation: Conversation = {
    id: state.nextId("conversation"),
    displayId: state.nextDisplayId(),
    accountId: state.account.id,
    inboxId: contactInbox.inboxId,
    contactId: contactInbox.contactId,
    contactInboxId: contactInbox.id,
    uuid: state.newUuid(),
    // determine_conversation_status: a blocked contact's conversation starts resolved, whatever was asked.
    status: contact?.blocked === true ? "resolved" : requested,
    assigneeId: state.userById(input.assigneeId ?? null)?.id ?? null,
    priority: null,
    snoozedUntil: input.snoozedUntil ?? null,
    muted: false,
    labels: [],
    additionalAttributes: input.additionalAttributes,
    customAttributes: input.customAttributes,
    agentLastSeenAt: null,
    assigneeLastSeenAt: null,
    contactLastSeenAt: null,
    firstReplyCreatedAt: null,
    waitingSince: now,
    lastActivityAt: now,
    createdAt: now,
    updatedAt: now,
  };
  state.addConversation(conversation);
  return conversation;
}

export interface FinderQuery {
  status?: string;
  inboxId?: number;
  sourceId?: string;
  assigneeType?: string;
  page: number;
  /** Seconds: only conversations updated within them, and no paging (CONTRACT-addendum §A.7, CONTRACT.md §2.4). */
  updatedWithin?: number;
}

/** ConversationFinder: default status open, `all` for every status; counts before the assignee filter. */
export function findConversations(state: SandboxState, query: FinderQuery, viewer: User) {
  const status = query.status ?? "open";
  const base = [...state.conversations.values()]
    .filter((c) => status === "all" || c.status === status)
    .filter((c) => query.inboxId === undefined || c.inboxId === query.inboxId)
    .filter((c) => query.sourceId === undefined || state.contactInboxOf(c).sourceId === query.sourceId)
    .filter((c) => query.updatedWithin === undefined || c.updatedAt > state.clock() - query.updatedWithin * 1_000_000)
    .sort((a, b) => b.lastActivityAt - a.lastActivityAt);
  const mine = base.filter((c) => c.assigneeId === viewer.id);
  const unassigned = base.filter((c) => c.assigneeId === null);
  const assigned = base.filter((c) => c.assigneeId !== null);
  const byType: Record<string, Conversation[]> = { me: mine, unassigned, assigned };
  const selected = byType[query.assigneeType ?? "all"] ?? base;
  const start = (Math.max(query.page, 1) - 1) * CONVERSATIONS_PER_PAGE;
  return {
    counts: {
      mine_count: mine.length,
      assigned_count: assigned.length,
      unassigned_count: unassigned.length,
      all_count: base.length,
    },
    conversations: query.updatedWithin === undefined ? selected.slice(start, start + CONVERSATIONS_PER_PAGE) : selected,
  };
}

/** contacts/{id}/conversations: every inbox, newest activity first, at most 20, no paging. */
export function contactConversations(state: SandboxState, contactId: number): Conversation[] {
  return [...state.conversations.values()]
    .filter((c) => c.contactId === contactId)
    .sort((a, b) => b.lastActivityAt - a.lastActivityAt)
    .slice(0, 20);
}
