// Reads a page of Chatwoot's messages list (CONTRACT.md §2.5 "List", the `_message` partial) into ListedMessage:
// message_type arrives as an integer and created_at as unix seconds. Entries the bridge cannot read are skipped.
import * as z from "zod/mini";
import { LISTED_MESSAGE_TYPES, type ListedMessage, type MessagePage } from "../core/listed-message.js";

const maybe = <T extends z.ZodMiniType>(schema: T) => z.catch(z.optional(schema), undefined);

const entry = z.object({
  id: z.number(),
  message_type: maybe(z.number()),
  private: z.catch(z.boolean(), false),
  source_id: z.catch(z.nullable(z.string()), null),
  status: maybe(z.string()),
  content: z.catch(z.nullable(z.string()), null),
  content_type: z.catch(z.string(), "text"),
  content_attributes: maybe(z.object({ deleted: maybe(z.boolean()), external_error: maybe(z.string()) })),
  created_at: z.catch(z.number(), 0),
  sender: z.optional(z.unknown()),
  attachments: z.catch(z.array(z.unknown()), []),
});

const page = z.object({
  meta: maybe(z.object({ contact: maybe(z.object({ id: maybe(z.number()), identifier: maybe(z.string()) })) })),
  payload: z.catch(z.array(z.unknown()), []),
});

export function readMessagePage(data: unknown): MessagePage {
  const parsed = page.safeParse(data);
  if (!parsed.success) return { messages: [] };
  const messages = parsed.data.payload.flatMap((raw): ListedMessage[] => {
    const m = entry.safeParse(raw);
    if (!m.success) return [];
    const { data: d } = m;
    return [
      {
        id: d.id,
        messageType: d.message_type === undefined ? undefined : LISTED_MESSAGE_TYPES[d.message_type],
        private: d.private,
        sourceId: d.source_id,
        status: d.status,
        deleted: d.content_attributes?.deleted === true,
        ...(d.content_attributes?.external_error ? { externalError: d.content_attributes.external_error } : {}),
        content: d.content,
        contentType: d.content_type,
        createdAt: d.created_at,
        sender: d.sender,
        attachments: d.attachments,
        contentAttributes: rawAttributes(raw),
      },
    ];
  });
  const contact = parsed.data.meta?.contact;
  return { messages: messages.sort((a, b) => a.id - b.id), ...(contact ? { contact } : {}) };
}

/** The whole `content_attributes` (quote keys, interactive items), read by message-extras.ts, not here. */
function rawAttributes(raw: unknown): unknown {
  return typeof raw === "object" && raw !== null && "content_attributes" in raw ? raw.content_attributes : undefined;
}
