// The only writer of metrics: one CloudWatch embedded-metric-format line per event, through the log's sink, so
// CloudWatch Logs extracts them in AWS and locally the same lines appear in the log (and tests capture them).
// Format: https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
// Dimension values are fixed outcome words, operations and error codes: never ids, content or tokens.
import type { LogSink } from "./log.js";

export const METRICS_NAMESPACE = "ChatwootBridge";

/** Units EMF accepts; only the two we use. */
export type MetricUnit = "Count" | "Milliseconds";

export interface MetricValue {
  value: number;
  unit: MetricUnit;
}

/** Low-cardinality labels, the one to total by first (Outcome); an undefined value leaves the dimension out. */
export type MetricDimensions = Record<string, string | undefined>;

export interface Metrics {
  /** One metric event: its dimensions and its values, by metric name. */
  put(dimensions: MetricDimensions, values: Record<string, MetricValue>): void;
}

export const count = (value = 1): MetricValue => ({ value, unit: "Count" });
export const milliseconds = (value: number): MetricValue => ({
  value: Math.max(0, Math.round(value)),
  unit: "Milliseconds",
});

export function createMetrics(sink: LogSink, now: () => number = Date.now): Metrics {
  return {
    put: (dimensions, values) => {
      const labels = Object.fromEntries(
        Object.entries(dimensions).filter((entry): entry is [string, string] => entry[1] !== undefined),
      );
      // A non-finite value is not a number JSON can carry: CloudWatch would reject the whole line.
      const measured = Object.entries(values).filter(([, metric]) => Number.isFinite(metric.value));
      if (measured.length === 0) return;
      sink(
        JSON.stringify({
          _aws: {
            Timestamp: now(),
            CloudWatchMetrics: [
              {
                Namespace: METRICS_NAMESPACE,
                Dimensions: dimensionSets(Object.keys(labels)),
                Metrics: measured.map(([name, metric]) => ({ Name: name, Unit: metric.unit })),
              },
            ],
          },
          ...labels,
          ...Object.fromEntries(measured.map(([name, metric]) => [name, metric.value])),
        }),
      );
    },
  };
}

/**
 * All the labels, and the first alone: an alarm or a graph of all Chatwoot errors or all dead letters reads one
 * metric, with no SEARCH over every operation, reason and type.
 */
function dimensionSets(keys: string[]): string[][] {
  const [first] = keys;
  return first !== undefined && keys.length > 1 ? [keys, [first]] : [keys];
}

/** For code paths built without metrics (a client in a script, a unit test that does not look). */
export const noMetrics: Metrics = { put: () => undefined };
