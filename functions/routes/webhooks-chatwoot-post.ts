// POST /webhooks/chatwoot: verify, classify, enqueue, answer 200 at once (spec §4). The work happens in the worker.
import type { WebhookRouteDeps } from "../compose/deps.js";
import { classifyWebhook } from "../core/webhook-events.js";
import { jsonResponse, requestLog } from "../edge/errors-http.js";
import type { HttpHandler } from "../edge/http-event.js";
import { httpPipeline } from "../edge/http-pipeline.js";
import { bodyLimit, jsonBody } from "../edge/request-checks.js";
import { webhookSignature } from "../edge/webhook-auth.js";
import { refusalMetric } from "../edge/refusal-metric.js";
import { count } from "../metrics.js";

/** Spec §8: Chatwoot repeats a message's text three times in one webhook (150,000 four-byte characters ≈ 1.8 MB). */
export const MAX_WEBHOOK_BYTES = 4 * 1024 * 1024;

export function webhooksChatwootPostRoute(deps: WebhookRouteDeps): HttpHandler {
  return (
    httpPipeline(deps.log, { failedEvent: "webhook.refused", completedEvent: false, refusedLevel: "warn" })
      .use(refusalMetric(deps.metrics, "Webhooks"))
      .use(bodyLimit({ maxBytes: MAX_WEBHOOK_BYTES }))
      // The signature is checked over the exact bytes, before anything parses or re-serialises them.
      .use(webhookSignature({ config: deps.config, clock: deps.clock }))
      .use(jsonBody({ strict: false }))
      .handler(async (event, context) => {
        const log = requestLog(deps.log, event, context);
        const auth = event.webhookAuth;
        const scope = { inboxId: deps.config.chatwootInboxId, accountId: deps.config.chatwootAccountId };
        const classified = classifyWebhook(event.json, new Date(deps.clock.now()), scope);
        if (classified.action === "ignore") {
          log.info("webhook.ignored", { reason: classified.reason, auth });
          deps.metrics.put({ Outcome: "ignored", Reason: classified.reason }, { Webhooks: count() });
          return jsonResponse(200, { ok: true, queued: false });
        }
        const { delivery, groupId, deduplicationId } = classified;
        await deps.queue.enqueue({ groupId, deduplicationId, body: JSON.stringify(delivery) });
        deps.metrics.put({ Outcome: "queued", Type: delivery.type }, { Webhooks: count() });
        log.info("webhook.queued", {
          type: delivery.type,
          ...("webhookId" in delivery ? { webhook_id: delivery.webhookId } : {}),
          event_key: deduplicationId,
          conversation_id: delivery.conversationId,
          auth,
        });
        return jsonResponse(200, { ok: true, queued: true });
      })
  );
}
