// The worker's metric per attempt (spec §7): deliveries by outcome, and for a delivered reply the time from the
// agent writing it to the receiver taking it.
import type { DeliveryDecision } from "../core/delivery.js";
import type { DeliveryOutcome } from "../core/ports.js";
import type { QueuedDelivery } from "../core/webhook-events.js";
import { count, type Metrics, milliseconds, type MetricValue } from "../metrics.js";

/** An attempt's end that is no decision of deliverEvent: a body we cannot read, or an error thrown on the way. */
export type WorkerFailure = "unreadable" | "errored";

export function putDeliveryMetric(
  metrics: Metrics,
  result: DeliveryDecision | WorkerFailure,
  queued: QueuedDelivery | undefined,
  nowMs: number,
): void {
  const outcome = typeof result === "string" ? result : result.kind;
  const values: Record<string, MetricValue> = { Deliveries: count() };
  const sinceReply = outcome === "delivered" ? replyAgeMs(queued, nowMs) : undefined;
  if (sinceReply !== undefined) values.ReplyToDeliveredMs = milliseconds(sinceReply);
  metrics.put({ Outcome: outcome, Reason: reasonOf(result), Type: queued?.type }, values);
}

/** Fixed words only: undeliverable's own reason is a sentence for the agent, so it is not a dimension. */
function reasonOf(result: DeliveryDecision | WorkerFailure): string | undefined {
  if (typeof result === "string") return undefined;
  if (result.kind === "skipped") return result.reason;
  if (result.kind === "undeliverable") return "no user";
  if (result.kind === "retry") return failureClass(result.outcome);
  if (result.kind === "dead-letter") return result.outcome ? failureClass(result.outcome) : "interrupted";
  return undefined;
}

/** Why an attempt failed, in a few fixed words (issue 13 item 5): the HTTP status, or what the connection did. */
function failureClass(outcome: DeliveryOutcome): string {
  if (outcome.kind !== "failed") return outcome.kind;
  if (outcome.status !== undefined) return `http ${outcome.status}`;
  if (outcome.reason.includes("timed out")) return "timeout";
  if (outcome.reason.includes("refused")) return "refused connection";
  if (outcome.reason.includes("DNS")) return "dns";
  return "connection failed";
}

/**
 * Undefined without a usable `created_at`: a message webhook carries an ISO-8601 string (CONTRACT.md §4.4; unix
 * seconds are read too, as the API's messages carry them), and the bridge writes the epoch when a webhook had none (core/webhook-events.ts), which would count decades.
 */
function replyAgeMs(queued: QueuedDelivery | undefined, nowMs: number): number | undefined {
  const createdAt = queued?.message?.created_at;
  if (createdAt === undefined) return undefined;
  const ms = /^\d+(\.\d+)?$/.test(createdAt) ? Number(createdAt) * 1000 : Date.parse(createdAt);
  return Number.isFinite(ms) && ms > 0 ? Math.max(0, nowMs - ms) : undefined;
}
