// POST /messages: post a user's message, exactly once per message_id (spec §3.3); with `Prefer: respond-async`,
// accept it now and post it later (messages-async.ts).
import type { InboundRouteDeps } from "../compose/deps.js";
import { postMessage } from "../core/messages.js";
import type { AttachmentFetcher, EventQueue } from "../core/ports.js";
import { jsonResponse } from "../edge/errors-http.js";
import type { HttpHandler } from "../edge/http-event.js";
import { httpPipeline, jsonRequest } from "../edge/http-pipeline.js";
import { messagesPostBody } from "../edge/message-body-schema.js";
import { messageView } from "../edge/inbound-views.js";
import { messageInput } from "../edge/message-input.js";
import { prefersRespondAsync } from "../edge/prefer.js";
import { refusalMetric } from "../edge/refusal-metric.js";
import { count } from "../metrics.js";
import { acceptForLater } from "./messages-async.js";

/** POST /messages also downloads the files a message names by URL, and queues messages accepted for later. */
export interface MessagesRouteDeps extends InboundRouteDeps {
  attachments: AttachmentFetcher;
  inboundQueue: EventQueue;
}

export function messagesPostRoute(deps: MessagesRouteDeps): HttpHandler {
  const { checks, body } = jsonRequest(deps.config, messagesPostBody);
  return httpPipeline(deps.log)
    .use(refusalMetric(deps.metrics, "InboundMessages"))
    .use(checks)
    .handler(async (event) => {
      const input = body.inputOf(event);
      if (prefersRespondAsync(event.headers)) return acceptForLater(deps, input);
      const posted = await postMessage(deps, messageInput(input));
      deps.metrics.put({ Outcome: posted.duplicate ? "duplicate" : "created" }, { InboundMessages: count() });
      return jsonResponse(posted.duplicate ? 200 : 201, messageView(posted));
    });
}
