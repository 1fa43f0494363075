// POST /messages: post a user's message, exactly once per message_id (spec §3.3).
import { postMessage } from "../core/messages.js";
import { httpRoute } from "../edge/route.js";
import { readAttachments } from "../edge/attachments.js";
import { messagesPostBody } from "../edge/inbound-schemas.js";
import { messageView, toProfile } from "../edge/inbound-views.js";

export const handler = httpRoute(messagesPostBody, async (input, { deps }) => {
  const { attachments, keys } = readAttachments(input);
  const contact = toProfile(input.contact);
  const posted = await postMessage(deps, {
    userId: input.user_id,
    ...(input.message_id !== undefined ? { messageId: input.message_id } : {}),
    ...(input.content !== undefined ? { content: input.content } : {}),
    ...(attachments.length ? { attachments, attachmentKeys: keys } : {}),
    ...(contact ? { contact } : {}),
  });
  return { status: posted.duplicate ? 200 : 201, body: messageView(posted) };
});
