// The dashboard's widgets as plain data (CloudWatch's dashboard body: https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html).
// Pure: no SST globals; stacks/dashboard.ts fills in the resource names once they are known.
import {
  CHATWOOT_OUTCOMES,
  DELIVERY_OUTCOMES,
  INBOUND_OUTCOMES,
  METRICS_NAMESPACE,
  SWEEP_CONVERSATION_OUTCOMES,
  SWEEP_RUN_OUTCOMES,
  WEBHOOK_OUTCOMES,
} from "./alarm-metrics.js";

export interface DashboardNames {
  region: string;
  deliveryQueue: string;
  deadLetterQueue: string;
  /** Every bridge function's Lambda name. */
  functions: string[];
}

type MetricRow = Array<string | Record<string, string>>;

interface Widget {
  type: "metric";
  width: number;
  height: number;
  properties: Record<string, unknown>;
}

const WIDTH = 8;
const HEIGHT = 6;

function widget(region: string, title: string, metrics: MetricRow[], extra: Record<string, unknown> = {}): Widget {
  return {
    type: "metric",
    width: WIDTH,
    height: HEIGHT,
    properties: { title, region, metrics, view: "timeSeries", stacked: false, period: 60, stat: "Sum", ...extra },
  };
}

/** One line per outcome of one of our EMF metrics. */
function byOutcome(metricName: string, outcomes: string[]): MetricRow[] {
  return outcomes.map((outcome) => [METRICS_NAMESPACE, metricName, "Outcome", outcome]);
}

/** The median and the 99th percentile of one of our timings. */
function percentiles(metricName: string, outcome: string): MetricRow[] {
  return ["p50", "p99"].map((stat) => [METRICS_NAMESPACE, metricName, "Outcome", outcome, { stat }]);
}

function perFunction(metricName: string, functions: string[], stat: string): MetricRow[] {
  return functions.map((name) => ["AWS/Lambda", metricName, "FunctionName", name, { stat }]);
}

export function dashboardBody(names: DashboardNames): { widgets: Widget[] } {
  const { region, functions } = names;
  const queue = (metricName: string, queueName: string, stat: string): MetricRow => [
    "AWS/SQS",
    metricName,
    "QueueName",
    queueName,
    { stat },
  ];
  return {
    widgets: [
      widget(region, "Inbound messages by outcome", byOutcome("InboundMessages", INBOUND_OUTCOMES)),
      widget(region, "Webhooks by outcome", byOutcome("Webhooks", WEBHOOK_OUTCOMES)),
      widget(region, "Deliveries by outcome", byOutcome("Deliveries", DELIVERY_OUTCOMES)),
      widget(region, "Agent reply to delivered (ms)", percentiles("ReplyToDeliveredMs", "delivered"), { stat: "p50" }),
      widget(region, "Chatwoot calls by outcome", byOutcome("ChatwootCalls", CHATWOOT_OUTCOMES)),
      widget(region, "Chatwoot latency (ms)", percentiles("ChatwootLatency", "ok"), { stat: "p50" }),
      widget(region, "Sweep: conversations by outcome", byOutcome("SweepConversations", SWEEP_CONVERSATION_OUTCOMES)),
      widget(region, "Sweep: runs by outcome", byOutcome("SweepRuns", SWEEP_RUN_OUTCOMES)),
      widget(region, "Queue depth", [
        queue("ApproximateNumberOfMessagesVisible", names.deliveryQueue, "Maximum"),
        queue("ApproximateNumberOfMessagesNotVisible", names.deliveryQueue, "Maximum"),
        queue("ApproximateNumberOfMessagesVisible", names.deadLetterQueue, "Maximum"),
      ]),
      widget(region, "Age of oldest queued message (s)", [
        queue("ApproximateAgeOfOldestMessage", names.deliveryQueue, "Maximum"),
        queue("ApproximateAgeOfOldestMessage", names.deadLetterQueue, "Maximum"),
      ]),
      widget(region, "Function errors", perFunction("Errors", functions, "Sum")),
      widget(region, "Function throttles", perFunction("Throttles", functions, "Sum")),
      widget(region, "Function duration p99 (ms)", perFunction("Duration", functions, "p99"), { stat: "p99" }),
    ],
  };
}
