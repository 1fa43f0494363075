// The EMF writer: each line is one event CloudWatch can extract, with only the dimensions and values given.
import { describe, expect, it } from "vitest";
import { count, createMetrics, milliseconds } from "../../functions/metrics.js";
import { metricEvents } from "../support/emf.js";

function written(): { lines: string[]; metrics: ReturnType<typeof createMetrics> } {
  const lines: string[] = [];
  return {
    lines,
    metrics: createMetrics(
      (line) => lines.push(line),
      () => 1_781_964_175_123,
    ),
  };
}

describe("createMetrics", () => {
  it("writes one EMF line: namespace, the dimension sets (all, and the first alone), each metric's name and unit, values at the top level", () => {
    const { lines, metrics } = written();
    metrics.put(
      { Outcome: "ok", Operation: "create message" },
      { ChatwootCalls: count(), ChatwootLatency: milliseconds(41.6) },
    );
    expect(lines).toHaveLength(1);
    const [event] = metricEvents(lines);
    expect(event).toEqual({
      _aws: {
        Timestamp: 1_781_964_175_123,
        CloudWatchMetrics: [
          {
            Namespace: "ChatwootBridge",
            Dimensions: [["Outcome", "Operation"], ["Outcome"]],
            Metrics: [
              { Name: "ChatwootCalls", Unit: "Count" },
              { Name: "ChatwootLatency", Unit: "Milliseconds" },
            ],
          },
        ],
      },
      Outcome: "ok",
      Operation: "create message",
      ChatwootCalls: 1,
      ChatwootLatency: 42,
    });
  });

  it("leaves an undefined dimension out of the line and out of the dimension set", () => {
    const { lines, metrics } = written();
    metrics.put({ Outcome: "created", Reason: undefined }, { InboundMessages: count() });
    const [event] = metricEvents(lines);
    expect(event?._aws.CloudWatchMetrics[0]?.Dimensions).toEqual([["Outcome"]]);
    expect(event).not.toHaveProperty("Reason");
  });

  it("drops a value JSON cannot carry, and writes nothing when no value is left", () => {
    const { lines, metrics } = written();
    metrics.put({ Outcome: "delivered" }, { Deliveries: count(), ReplyToDeliveredMs: milliseconds(Number.NaN) });
    metrics.put({ Outcome: "delivered" }, { ReplyToDeliveredMs: milliseconds(Number.POSITIVE_INFINITY) });
    expect(lines).toHaveLength(1);
    const [event] = metricEvents(lines);
    expect(event?._aws.CloudWatchMetrics[0]?.Metrics).toEqual([{ Name: "Deliveries", Unit: "Count" }]);
    expect(event).not.toHaveProperty("ReplyToDeliveredMs");
  });

  it("never writes a negative time (clock skew between Chatwoot and the worker)", () => {
    expect(milliseconds(-250)).toEqual({ value: 0, unit: "Milliseconds" });
  });
});
