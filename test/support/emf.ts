// Reads log lines as CloudWatch embedded-metric-format events, failing on any line that claims to be EMF but breaks
// the specification's rules (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html).
import { expect } from "vitest";

export type MetricEvent = Record<string, unknown> & {
  _aws: {
    Timestamp: number;
    CloudWatchMetrics: Array<{
      Namespace: string;
      Dimensions: string[][];
      Metrics: Array<{ Name: string; Unit: string }>;
    }>;
  };
};

/** Every EMF line among `lines`, each checked against the specification. */
export function metricEvents(lines: string[]): MetricEvent[] {
  return lines
    .filter((line) => line.startsWith('{"_aws"'))
    .map((line) => {
      const event = JSON.parse(line) as MetricEvent;
      expectEmf(event);
      return event;
    });
}

/** The events declaring metric `name` whose fields include `fields`. */
export function metricsNamed(lines: string[], name: string, fields: Record<string, unknown> = {}): MetricEvent[] {
  return metricEvents(lines).filter(
    (event) =>
      event._aws.CloudWatchMetrics.some((directive) => directive.Metrics.some((m) => m.Name === name)) &&
      Object.entries(fields).every(([key, value]) => event[key] === value),
  );
}

export function expectEmf(event: MetricEvent): void {
  expect(Number.isInteger(event._aws.Timestamp)).toBe(true);
  expect(event._aws.CloudWatchMetrics).toHaveLength(1);
  for (const directive of event._aws.CloudWatchMetrics) {
    expect(directive.Namespace).toBe("ChatwootBridge");
    expect(directive.Metrics.length).toBeGreaterThan(0);
    for (const metric of directive.Metrics) {
      expect(typeof event[metric.Name], `metric ${metric.Name} is a number`).toBe("number");
      expect(["Count", "Milliseconds"]).toContain(metric.Unit);
    }
    for (const set of directive.Dimensions) {
      for (const key of set) expect(typeof event[key], `dimension ${key} is a string`).toBe("string");
    }
  }
}
