// POST /webhooks/chatwoot: verify, classify, enqueue, answer 200 at once (spec §4). The work happens in the worker.
import middy from "@middy/core";
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from "aws-lambda";
import { BridgeError } from "../core/errors.js";
import { classifyWebhook } from "../core/webhook-events.js";
import { errorResponse, jsonResponse } from "../edge/errors-http.js";
import { checkSize, parseJson, rawBody } from "../edge/request-checks.js";
import { requestId } from "../edge/route.js";
import { verifyWebhook } from "../edge/webhook-auth.js";
import { errorFields } from "../log.js";
import { getDeps } from "../wiring.js";

/** Chatwoot payloads carry content up to 150,000 characters plus the conversation: allow 1 MiB. */
const MAX_WEBHOOK_BYTES = 1024 * 1024;

export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2, Error, Context>({
  timeoutEarlyInMillis: 0,
}).handler(async (event, context) => {
  const deps = await getDeps();
  const log = deps.log.child({ request_id: requestId(event, context), route: "POST /webhooks/chatwoot" });
  try {
    const raw = rawBody(event);
    checkSize(raw, MAX_WEBHOOK_BYTES);
    // The signature is checked over the exact bytes, before anything parses or re-serialises them.
    const auth = verifyWebhook(event, raw, deps.config, deps.clock.now());
    const classified = classifyWebhook(parseJson(raw), new Date(deps.clock.now()));
    if (classified.action === "ignore") {
      log.info("webhook.ignored", { reason: classified.reason, auth });
      return jsonResponse(200, { ok: true, queued: false });
    }
    const { delivery, groupId, deduplicationId } = classified;
    await deps.queue.enqueue({ groupId, deduplicationId, body: JSON.stringify(delivery) });
    log.info("webhook.queued", {
      type: delivery.type,
      webhook_id: delivery.webhookId,
      conversation_id: delivery.conversationId,
      auth,
    });
    return jsonResponse(200, { ok: true, queued: true });
  } catch (error) {
    const level = error instanceof BridgeError ? "warn" : "error";
    log[level]("webhook.refused", errorFields(error));
    return errorResponse(error);
  }
});
