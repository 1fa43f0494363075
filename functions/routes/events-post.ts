// POST /events: the user's typing, read receipts, edits and deletes (spec §3.7). Typing answers 202, the rest 200.
import type { InboundRouteDeps } from "../compose/deps.js";
import { type EventOutcome, handleUserEvent, type UserEvent } from "../core/events.js";
import { jsonResponse } from "../edge/errors-http.js";
import { eventsPostBody, toUserEvent } from "../edge/events-schemas.js";
import type { HttpHandler } from "../edge/http-event.js";
import { httpPipeline, jsonRequest } from "../edge/http-pipeline.js";
import { refusalMetric } from "../edge/refusal-metric.js";
import { count } from "../metrics.js";

export function eventsPostRoute(deps: InboundRouteDeps): HttpHandler {
  const { checks, body } = jsonRequest(deps.config, eventsPostBody);
  return httpPipeline(deps.log)
    .use(refusalMetric(deps.metrics, "UserEvents"))
    .use(checks)
    .handler(async (event) => {
      const input = toUserEvent(body.inputOf(event));
      const outcome = await handleUserEvent(deps, input);
      deps.metrics.put(
        { Type: outcome.type, Outcome: outcome.duplicate ? "duplicate" : "done" },
        { UserEvents: count() },
      );
      const typing = input.type === "typing.started" || input.type === "typing.stopped";
      return jsonResponse(typing ? 202 : 200, eventView(input, outcome));
    });
}

/** The answer names the event, whose it was and what it touched in Chatwoot. */
export function eventView(input: UserEvent, outcome: EventOutcome) {
  const aboutMessage = input.type === "message.updated" || input.type === "message.deleted";
  return {
    type: outcome.type,
    user_id: input.userId,
    ...(aboutMessage ? {} : { thread_id: input.threadId ?? null }),
    conversation_id: outcome.conversationId,
    ...("messageId" in input ? { message_id: input.messageId } : {}),
    ...("editId" in input ? { edit_id: input.editId } : {}),
    ...(outcome.chatwootMessageId !== undefined ? { chatwoot_message_id: outcome.chatwootMessageId } : {}),
    ...(input.type === "messages.read" ? { up_to: input.upTo ?? null, marked: outcome.marked ?? null } : {}),
    ...(outcome.duplicate !== undefined ? { duplicate: outcome.duplicate } : {}),
  };
}
