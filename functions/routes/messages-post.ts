// POST /messages: post a user's message, exactly once per message_id (spec §3.3).
import type { InboundRouteDeps } from "../compose/deps.js";
import { postMessage } from "../core/messages.js";
import { readAttachments } from "../edge/attachments.js";
import { jsonResponse } from "../edge/errors-http.js";
import type { HttpHandler } from "../edge/http-event.js";
import { httpPipeline, jsonRequest } from "../edge/http-pipeline.js";
import { messagesPostBody } from "../edge/inbound-schemas.js";
import { messageView, toProfile, toReplyTo } from "../edge/inbound-views.js";
import { refusalMetric } from "../edge/refusal-metric.js";
import { count } from "../metrics.js";

export function messagesPostRoute(deps: InboundRouteDeps): HttpHandler {
  const { checks, body } = jsonRequest(deps.config, messagesPostBody);
  return httpPipeline(deps.log)
    .use(refusalMetric(deps.metrics, "InboundMessages"))
    .use(checks)
    .handler(async (event) => {
      const input = body.inputOf(event);
      const { attachments, keys } = readAttachments(input);
      const contact = toProfile(input.contact);
      const posted = await postMessage(deps, {
        userId: input.user_id,
        ...(input.thread_id !== undefined ? { threadId: input.thread_id } : {}),
        ...(input.message_id !== undefined ? { messageId: input.message_id } : {}),
        ...(input.content !== undefined ? { content: input.content } : {}),
        ...(attachments.length ? { attachments, attachmentKeys: keys } : {}),
        ...(contact ? { contact } : {}),
        ...(input.reply_to ? { replyTo: toReplyTo(input.reply_to) } : {}),
        ...(input.sent_at !== undefined ? { sentAt: input.sent_at } : {}),
      });
      deps.metrics.put({ Outcome: posted.duplicate ? "duplicate" : "created" }, { InboundMessages: count() });
      return jsonResponse(posted.duplicate ? 200 : 201, messageView(posted));
    });
}
