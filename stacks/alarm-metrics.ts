// The metrics the alarms and the dashboard read, as plain data: our EMF metrics (functions/metrics.ts: namespace
// ChatwootBridge, each metric also under its first dimension, Outcome, alone) and their outcome words. Pure.
import { METRICS_NAMESPACE } from "../functions/metrics.js";

export { METRICS_NAMESPACE };

/** ChatwootCalls' Outcome: "ok" or a ChatwootError kind (functions/adapters/chatwoot-http.ts). */
export const CHATWOOT_OUTCOMES = ["ok", "rejected", "not_found", "unavailable", "failed", "timeout", "local_error"];
/** The Chatwoot outcomes that are Chatwoot's fault (not ours: a 422 or 404 is an answer about our data). */
export const CHATWOOT_ERROR_OUTCOMES = ["unavailable", "failed", "timeout"];
/** InboundMessages' Outcome (routes/messages-post.ts and edge/refusal-metric.ts). */
export const INBOUND_OUTCOMES = ["created", "duplicate", "refused", "failed"];
/** Webhooks' Outcome. */
export const WEBHOOK_OUTCOMES = ["queued", "ignored", "refused", "failed"];
/** Deliveries' Outcome: a DeliveryDecision kind or a worker failure (routes/delivery-metric.ts). */
export const DELIVERY_OUTCOMES = [
  "delivered",
  "retry",
  "deferred",
  "dead-letter",
  "undeliverable",
  "skipped",
  "stopped",
  "errored",
  "unreadable",
];
/** SweepConversations' and SweepRuns' Outcome (routes/sweep-metric.ts). */
export const SWEEP_CONVERSATION_OUTCOMES = ["signalled", "unchanged", "unowned"];
export const SWEEP_RUN_OUTCOMES = ["complete", "partial", "failed"];

/** Inbound 5xx rate (%) over five minutes that pages someone: one in twenty messages failing. */
export const INBOUND_5XX_PERCENT = 5;
/** Chatwoot error rate (%) over five minutes: Chatwoot down or overloaded, not one slow call. */
export const CHATWOOT_ERROR_PERCENT = 10;

/** The queue-age alarm's threshold: a reply still queued after one attempt and its first retry delay. */
export function queueAgeThresholdSeconds(retryScheduleMs: number[], workerTimeoutSeconds: number): number {
  return Math.ceil((retryScheduleMs[0] ?? 0) / 1000) + workerTimeoutSeconds;
}
