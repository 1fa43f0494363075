// A validated POST /messages body in the domain's terms, for the route (posting now) and the inbound worker (posting
// a message accepted with `Prefer: respond-async`), which read the same body with the same schema.
import type { PostMessageInput } from "../core/messages.js";
import { readAttachments } from "./attachments.js";
import type { MessagesPostBody } from "./message-body-schema.js";
import { toProfile, toReplyTo } from "./inbound-views.js";

export function messageInput(body: MessagesPostBody): PostMessageInput {
  const { attachments, keys } = readAttachments(body);
  const contact = toProfile(body.contact);
  return {
    userId: body.user_id,
    ...(body.thread_id !== undefined ? { threadId: body.thread_id } : {}),
    ...(body.message_id !== undefined ? { messageId: body.message_id } : {}),
    ...(body.content !== undefined ? { content: body.content } : {}),
    ...(attachments.length ? { attachments, attachmentKeys: keys } : {}),
    ...(contact ? { contact } : {}),
    ...(body.reply_to ? { replyTo: toReplyTo(body.reply_to) } : {}),
    ...(body.sent_at !== undefined ? { sentAt: body.sent_at } : {}),
  };
}
