// A message as Chatwoot's messages list gives it (CONTRACT.md §2.5 "List", the `_message` partial: integer
// message_type, unix created_at, push-data sender), and which of them are agent replies the bridge delivers.
import type { DeliveredAttachment, DeliveredMessage } from "./delivered-message.js";
import { messageExtras, quoteTarget } from "./message-extras.js";
import { toAttachment, toSender } from "./message-parts.js";

/** `_message` encodes message_type as an integer: 0 incoming, 1 outgoing, 2 activity, 3 template (CONTRACT.md §2.5). */
export const LISTED_MESSAGE_TYPES = ["incoming", "outgoing", "activity", "template"] as const;
export type ListedMessageType = (typeof LISTED_MESSAGE_TYPES)[number];

export interface ListedMessage {
  id: number;
  messageType: ListedMessageType | undefined;
  private: boolean;
  sourceId: string | null;
  /** sent, delivered, read or failed. */
  status: string | undefined;
  deleted: boolean;
  /** `content_attributes.external_error`: why it is marked failed, by Chatwoot (its webhook failed) or the bridge. */
  externalError?: string;
  content: string | null;
  contentType: string;
  /** Unix seconds. */
  createdAt: number;
  sender: unknown;
  attachments: unknown[];
  /** As Chatwoot gives it: the quote (`in_reply_to`, `in_reply_to_external_id`) and interactive `items`. */
  contentAttributes?: unknown;
}

/** One page of `GET …/messages?after=`: up to 100 messages, ascending, and the conversation's contact. */
export interface MessagePage {
  messages: ListedMessage[];
  /** `meta.contact`: who the conversation is with (spec §4 "Whose conversation"). */
  contact?: { id?: number; identifier?: string };
}

/** The page size of `after=` (CONTRACT-addendum.md §A.7): a shorter page is the end of the conversation. */
export const AFTER_PAGE_SIZE = 100;

/** An agent reply the bridge delivers (spec §4): public, outgoing or template, authored in Chatwoot, not deleted. */
export function isAgentReply(message: ListedMessage): boolean {
  const agentType = message.messageType === "outgoing" || message.messageType === "template";
  return agentType && !message.private && !message.sourceId && !message.deleted;
}

/** A reply Chatwoot shows as received: the bridge (or an earlier install) delivered it. */
export function isShownDelivered(message: ListedMessage): boolean {
  return message.status === "delivered" || message.status === "read";
}

/** The reply as the delivery carries it (spec §5), in the same shape the webhook path builds. */
export function toDeliveredMessage(message: ListedMessage): DeliveredMessage {
  const messageType = message.messageType === "template" ? "template" : "outgoing";
  return {
    id: message.id,
    content: message.content,
    content_type: message.contentType,
    message_type: messageType,
    attachments: message.attachments.map(toAttachment).filter((a): a is DeliveredAttachment => a !== undefined),
    sender: messageType === "template" ? null : toSender(message.sender),
    created_at: new Date(message.createdAt * 1000).toISOString(),
    // The quote's message_id is the worker's to find (events-delivery.ts withQuotedUser).
    ...messageExtras(message.contentType, message.contentAttributes),
  };
}

/** The quoted message's source_id, when the reply quotes a message that has one (a user's, CONTRACT-addendum §A.2). */
export function quotedSourceIdOf(message: ListedMessage): { quotedSourceId?: string } {
  const sourceId = quoteTarget(message.contentAttributes)?.sourceId;
  return sourceId ? { quotedSourceId: sourceId } : {};
}
