// The worker's metric per decision: its outcome, a fixed reason, and the reply-to-delivered time when it is known.
import { describe, expect, it } from "vitest";
import type { DeliveryDecision } from "../../functions/core/delivery.js";
import type { QueuedDelivery } from "../../functions/core/webhook-events.js";
import { createMetrics } from "../../functions/metrics.js";
import { putDeliveryMetric, type WorkerFailure } from "../../functions/routes/delivery-metric.js";
import { metricEvents } from "../support/emf.js";

const NOW = Date.parse("2026-06-20T14:05:45.113Z");

function reply(createdAt: string): QueuedDelivery {
  return {
    type: "message.created",
    webhookId: "msg_91201",
    conversationId: 287,
    messageId: 91201,
    message: {
      id: 91201,
      content: "words",
      content_type: "text",
      message_type: "outgoing",
      attachments: [],
      sender: null,
      created_at: createdAt,
    },
    occurredAt: "2026-06-20T14:05:43.000Z",
  };
}

function put(result: DeliveryDecision | WorkerFailure, queued: QueuedDelivery | undefined, nowMs: number) {
  const lines: string[] = [];
  putDeliveryMetric(
    createMetrics((line) => lines.push(line)),
    result,
    queued,
    nowMs,
  );
  return metricEvents(lines);
}

const delivered = { kind: "delivered", status: 200, statusReported: true, adopted: false } as const;

describe("putDeliveryMetric", () => {
  it("gives a delivered reply the time since Chatwoot's ISO created_at", () => {
    const [event] = put(delivered, reply("2026-06-20T14:05:42.613Z"), NOW);
    expect(event).toMatchObject({ Outcome: "delivered", Type: "message.created", Deliveries: 1 });
    expect(event?.ReplyToDeliveredMs).toBe(2500);
  });

  it("reads unix seconds too, and leaves the time out when created_at is the epoch the bridge writes for none", () => {
    expect(put(delivered, reply("1781964142"), 1_781_964_145_000)[0]?.ReplyToDeliveredMs).toBe(3000);
    expect(put(delivered, reply(new Date(0).toISOString()), NOW)[0]).not.toHaveProperty("ReplyToDeliveredMs");
    expect(put(delivered, reply("not a time"), NOW)[0]).not.toHaveProperty("ReplyToDeliveredMs");
  });

  it("names an undeliverable reply by a fixed reason, never the sentence shown to the agent", () => {
    const [event] = put(
      { kind: "undeliverable", reason: "No user: add an identifier", statusReported: true },
      reply("1"),
      NOW,
    );
    expect(event).toMatchObject({ Outcome: "undeliverable", Reason: "no user", Deliveries: 1 });
    expect(event).not.toHaveProperty("ReplyToDeliveredMs");
  });

  it("counts skips by reason, retries and dead letters by why in fixed words, and worker failures by outcome alone", () => {
    const failed = (reason: string, status?: number) => ({
      kind: "failed" as const,
      reason,
      ...(status ? { status } : {}),
    });
    const outcomes = [
      put({ kind: "skipped", reason: "already delivered" }, reply("1"), NOW),
      put({ kind: "retry", delaySeconds: 1, outcome: failed("receiver timed out after 10s") }, reply("1"), NOW),
      put({ kind: "retry", delaySeconds: 1, outcome: failed("receiver refused the connection") }, reply("1"), NOW),
      put(
        { kind: "retry", delaySeconds: 1, outcome: failed("receiver's host name did not resolve (DNS)") },
        reply("1"),
        NOW,
      ),
      put(
        { kind: "dead-letter", reason: "receiver answered 503", outcome: failed("receiver answered 503", 503) },
        reply("1"),
        NOW,
      ),
      put({ kind: "dead-letter", reason: "the last attempt was interrupted" }, reply("1"), NOW),
      put("errored", reply("1"), NOW),
      put("unreadable", undefined, NOW),
    ].map(([event]) => [event?.Outcome, event?.Reason]);
    expect(outcomes).toEqual([
      ["skipped", "already delivered"],
      ["retry", "timeout"],
      ["retry", "refused connection"],
      ["retry", "dns"],
      ["dead-letter", "http 503"],
      ["dead-letter", "interrupted"],
      ["errored", undefined],
      ["unreadable", undefined],
    ]);
  });
});
