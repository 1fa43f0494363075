// POST /messages with `Prefer: respond-async` (spec §3.3): the message_id is settled and the message queued durably,
// answered 202 before any Chatwoot call; the inbound worker posts it. Posted already: 200 as in sync mode.
import type { APIGatewayProxyResultV2 } from "aws-lambda";
import { type AcceptDeps, acceptMessage } from "../core/accepted-messages.js";
import { BridgeError } from "../core/errors.js";
import { messageFingerprintOf } from "../core/messages.js";
import { jsonResponse } from "../edge/errors-http.js";
import type { MessagesPostBody } from "../edge/message-body-schema.js";
import { messageView } from "../edge/inbound-views.js";
import { messageInput } from "../edge/message-input.js";
import { count, type Metrics } from "../metrics.js";

export async function acceptForLater(
  deps: AcceptDeps & { metrics: Metrics },
  body: MessagesPostBody,
): Promise<APIGatewayProxyResultV2> {
  const messageId = body.message_id;
  if (messageId === undefined) {
    // Without an id the outcome could name no message, and a retry could not be told from a new message.
    throw new BridgeError("validation_failed", "message_id is required with Prefer: respond-async", {
      details: [{ path: "message_id", message: "required with Prefer: respond-async" }],
    });
  }
  const fingerprint = messageFingerprintOf(messageInput(body));
  const accepted = await acceptMessage(deps, { userId: body.user_id, messageId, fingerprint, request: body });
  if (accepted.kind === "duplicate") {
    deps.metrics.put({ Outcome: "duplicate" }, { InboundMessages: count() });
    return jsonResponse(200, messageView({ ...accepted.result, duplicate: true }));
  }
  deps.metrics.put({ Outcome: "queued" }, { InboundMessages: count() });
  return jsonResponse(202, { message_id: messageId, status: "queued" }, { "preference-applied": "respond-async" });
}
