// What the bridge reads from Chatwoot's answers (CONTRACT.md §2), as schemas: a required field that is missing
// is a ChatwootError ("unexpected response shape"); list entries the bridge cannot read are skipped.
import * as z from "zod/mini";
import { ChatwootError } from "../core/errors.js";
import { CONVERSATION_STATUSES } from "../core/vocabulary.js";

/** Absent when missing or of another type. */
const maybe = <T extends z.ZodMiniType>(schema: T) => z.catch(z.optional(schema), undefined);

export const createdContact = z.object({ payload: z.object({ contact: z.object({ id: z.number() }) }) });
/** An answer or list entry that must carry its numeric id (a created message, the contact a filter found). */
export const withId = z.object({ id: z.number() });
export const filteredContact = z.object({ id: maybe(z.number()), identifier: maybe(z.string()) });
export const listedMessage = z.object({ id: z.number(), source_id: z.catch(z.nullable(z.string()), null) });
/** A listed message's type and status (integer message_type in API answers, CONTRACT.md §2.5). */
export const messageState = z.object({
  id: z.number(),
  message_type: z.catch(z.number(), -1),
  status: z.catch(z.nullable(z.string()), null),
  private: z.catch(z.boolean(), false),
});
/** GET /inboxes/{id} of an API inbox names its Client API identifier (CONTRACT.md §2.6). */
export const inboxAnswer = z.object({ inbox_identifier: z.string().check(z.minLength(1)) });

export const conversation = z.object({
  id: z.number(),
  inbox_id: z.number(),
  status: z.catch(z.enum(CONVERSATION_STATUSES), "open"),
  last_activity_at: z.catch(z.number(), 0),
  /** Only in the answer to a create with a first message. */
  messages: z.catch(z.array(z.unknown()), []),
});
export type ChatwootConversation = z.output<typeof conversation>;

/** GET /conversations answers inside a `data` wrapper (CONTRACT.md §2.4): `{data: {meta, payload: [...]}}`. */
export const conversationIndex = z.object({ data: z.object({ payload: z.catch(z.array(z.unknown()), []) }) });

const pushedMessage = z.object({
  conversation: maybe(z.object({ contact_inbox: maybe(z.object({ source_id: maybe(z.string()) })) })),
});

/** A listed conversation: its change time, and the contact (meta.sender) and source_id that say whose it is. */
export const listedConversation = z.object({
  id: z.number(),
  inbox_id: z.number(),
  status: z.catch(z.enum(CONVERSATION_STATUSES), "open"),
  updated_at: z.number(),
  meta: z.catch(
    z.object({ sender: maybe(z.object({ id: maybe(z.number()), identifier: maybe(z.nullable(z.string())) })) }),
    {},
  ),
  last_non_activity_message: maybe(z.nullable(pushedMessage)),
  messages: z.catch(z.array(pushedMessage), []),
});
export type ListedConversation = z.output<typeof listedConversation>;

const firstMessage = z.object({ id: maybe(z.number()), source_id: maybe(z.string()) });
const list = z.object({ payload: z.catch(z.array(z.unknown()), []) });
const rejection = z.object({
  attributes: z.catch(z.array(z.unknown()), []),
  message: maybe(z.string()),
  error: maybe(z.string()),
});

/** The answer as `schema` reads it, or the ChatwootError of an unexpected shape. */
export function readAnswer<T extends z.ZodMiniType>(schema: T, data: unknown, operation: string): z.output<T> {
  const parsed = schema.safeParse(data);
  if (!parsed.success) throw unexpectedShape(operation);
  return parsed.data;
}

function unexpectedShape(operation: string): ChatwootError {
  return new ChatwootError({ operation, kind: "failed", reason: "unexpected response shape" });
}

/** The readable entries of a `{ payload: [...] }` list; an answer without one is an empty list. */
export function readList<T extends z.ZodMiniType>(schema: T, data: unknown): Array<z.output<T>> {
  const parsed = list.safeParse(data);
  return (parsed.success ? parsed.data.payload : []).flatMap((entry) => {
    const item = schema.safeParse(entry);
    return item.success ? [item.data] : [];
  });
}

/** The first message of a created conversation, when it is the one we sent (`source_id` matches). */
export function firstMessageId(messages: unknown[], sourceId: string, operation: string): number | undefined {
  const first = firstMessage.safeParse(messages[0]);
  if (!first.success || first.data.source_id !== sourceId) return undefined;
  if (first.data.id === undefined) throw unexpectedShape(operation);
  return first.data.id;
}

/**
 * What a 422 says, for the caller's response only (spec §3.6): `attributes` (field names), and the reason,
 * `{message}` from model validation or `{error}` from messages#create (CONTRACT.md §2.0).
 */
export function chatwootRejection(data: unknown): { attributes: string[]; reason?: string } {
  const parsed = rejection.safeParse(data);
  if (!parsed.success) return { attributes: [] };
  const attributes = parsed.data.attributes.filter((a): a is string => typeof a === "string");
  const reason = (parsed.data.message ?? parsed.data.error)?.slice(0, 500);
  return reason === undefined ? { attributes } : { attributes, reason };
}
