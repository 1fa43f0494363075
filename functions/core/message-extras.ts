// What an agent message carries beyond text and files (spec §5): the quote it replies to (`reply_to`) and the items
// of an interactive message. Pure: the caller looks the quoted message up (message-index-port.ts) and passes the result,
// so today's webhook path and a worker reading Chatwoot's message list map the same fields the same way.
import * as z from "zod/mini";
import { INTERACTIVE_CONTENT_TYPES } from "./vocabulary.js";

/** spec §5: the user's own `message_id` when the quoted message came from the user through the bridge, else null. */
export interface DeliveredReplyTo {
  message_id: string | null;
  chatwoot_message_id: number;
}

export interface MessageExtras {
  reply_to?: DeliveredReplyTo;
  items?: unknown[];
}

/** Absent when missing or of another type: one odd attribute never hides the message. */
const maybe = <T extends z.ZodMiniType>(schema: T) => z.catch(z.optional(schema), undefined);

/** The quote keys Chatwoot leaves after resolving them (CONTRACT-addendum §A.2): null when nothing was found. */
const quoteAttributes = z.object({
  in_reply_to: maybe(z.nullable(z.number())),
  in_reply_to_external_id: maybe(z.nullable(z.string())),
  items: maybe(z.array(z.unknown())),
});

/** Where a quote points, as Chatwoot stored it: the quoted message's id, and its source_id when it had one. */
export interface QuoteTarget {
  chatwootMessageId: number;
  sourceId: string | null;
}

/** The quoted message of `contentAttributes`, or undefined when the message quotes nothing. */
export function quoteTarget(contentAttributes: unknown): QuoteTarget | undefined {
  const parsed = quoteAttributes.safeParse(contentAttributes);
  const id = parsed.success ? parsed.data.in_reply_to : undefined;
  if (!parsed.success || id === undefined || id === null) return undefined;
  return { chatwootMessageId: id, sourceId: parsed.data.in_reply_to_external_id ?? null };
}

/**
 * `reply_to` and `items` of a delivered agent message. `quotedUserMessageId` is the user's message_id of the quoted
 * message when the lookup found it was the user's (undefined otherwise).
 */
export function messageExtras(
  contentType: string,
  contentAttributes: unknown,
  quotedUserMessageId?: string,
): MessageExtras {
  const extras: MessageExtras = {};
  const quote = quoteTarget(contentAttributes);
  if (quote)
    extras.reply_to = { message_id: quotedUserMessageId ?? null, chatwoot_message_id: quote.chatwootMessageId };
  if (isInteractive(contentType)) {
    const parsed = quoteAttributes.safeParse(contentAttributes);
    extras.items = (parsed.success ? parsed.data.items : undefined) ?? [];
  }
  return extras;
}

export function isInteractive(contentType: string): boolean {
  return INTERACTIVE_CONTENT_TYPES.some((type) => type === contentType);
}
