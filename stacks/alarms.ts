// The alarms of spec §7, each with a runbook line in README "Operating it". They notify the Alerts SNS topic, in
// ALARM and back to OK; DEPLOY_ALARM_EMAIL subscribes an address to it.
import {
  CHATWOOT_ERROR_OUTCOMES,
  CHATWOOT_ERROR_PERCENT,
  CHATWOOT_OUTCOMES,
  INBOUND_5XX_PERCENT,
  INBOUND_OUTCOMES,
  METRICS_NAMESPACE,
  queueAgeThresholdSeconds,
} from "./alarm-metrics.js";
import { routeFunctions } from "./api.js";
import { routes } from "./routes.js";
import { worker } from "./delivery.js";
import { settings } from "./settings.js";
import { deadLetterQueue, deliveryQueue, timing } from "./storage.js";
import { sweepFunction } from "./sweep.js";
import { inboundWorkerFunction } from "./inbound.js";
import { inboundDeadLetterQueue } from "./inbound-storage.js";

export const alerts = new aws.sns.Topic("Alerts");

if (settings.alarmEmail) {
  new aws.sns.TopicSubscription("AlertsEmail", { topic: alerts.arn, protocol: "email", endpoint: settings.alarmEmail });
}

type Query = aws.types.input.cloudwatch.MetricAlarmMetricQuery;

/** Every alarm: one notification in ALARM, one back in OK; no data (an idle bridge) is the healthy state. */
function alarm(name: string, description: string, args: Partial<aws.cloudwatch.MetricAlarmArgs>) {
  return new aws.cloudwatch.MetricAlarm(name, {
    alarmDescription: `chatwoot-bridge: ${description} (README: Operating it)`,
    comparisonOperator: "GreaterThanThreshold",
    evaluationPeriods: 1,
    threshold: 0,
    treatMissingData: "notBreaching",
    alarmActions: [alerts.arn],
    okActions: [alerts.arn],
    ...args,
  });
}

/** One of our EMF metrics under its Outcome alone. */
function ours(id: string, metricName: string, outcome: string, periodSeconds: number): Query {
  return {
    id,
    returnData: false,
    metric: {
      namespace: METRICS_NAMESPACE,
      metricName,
      dimensions: { Outcome: outcome },
      stat: "Sum",
      period: periodSeconds,
    },
  };
}

function lambdaMetric(id: string, metricName: string, functionName: $util.Input<string>): Query {
  return {
    id,
    returnData: false,
    metric: {
      namespace: "AWS/Lambda",
      metricName,
      dimensions: { FunctionName: functionName },
      stat: "Sum",
      period: 60,
    },
  };
}

function expression(id: string, text: string, label: string): Query {
  return { id, expression: text, label, returnData: true };
}

const FIVE_MINUTES = 300;

/** Metric math: the sum of the queries with these ids, a missing point counting 0. */
function sumOf(ids: string[]): string {
  return ids.map((id) => `FILL(${id}, 0)`).join(" + ");
}

// Every new dead letter notifies, not only the first. SQS's NumberOfMessagesSent on the dead-letter queue would not
// do: "messages moved from a source queue to a dead-letter queue by a redrive policy are not counted"
// (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-available-cloudwatch-metrics.html),
// and SQS's redrive is what moves ours. So: the worker's own count of dead letters (Deliveries, Outcome
// dead-letter), plus any rise of the dead-letter queue's depth (a message redriven without the worker's word, e.g.
// after crashes). Each minute with a new one is an ALARM, the next quiet minute OK again, so each one mails.
export const deadLetterAlarm = alarm(
  "DeadLetterAlarm",
  "a reply could not be delivered and went to the dead-letter queue",
  {
    metricQueries: [
      ours("dead", "Deliveries", "dead-letter", 60),
      {
        id: "depth",
        returnData: false,
        metric: {
          namespace: "AWS/SQS",
          metricName: "ApproximateNumberOfMessagesVisible",
          dimensions: { QueueName: deadLetterQueue.nodes.queue.name },
          stat: "Maximum",
          period: 60,
        },
      },
      expression(
        "newDeadLetters",
        "FILL(dead, 0) + IF(DIFF(FILL(depth, 0)) > 0, DIFF(FILL(depth, 0)), 0)",
        "New dead letters",
      ),
    ],
  },
);

// A message accepted with `Prefer: respond-async` that its worker could not even report lands in the inbound
// dead-letter queue by SQS's redrive: each rise of its depth is a new one.
export const inboundDeadLetterAlarm = alarm(
  "InboundDeadLetterAlarm",
  "a message accepted for later went to the inbound dead-letter queue",
  {
    metricQueries: [
      {
        id: "depth",
        returnData: false,
        metric: {
          namespace: "AWS/SQS",
          metricName: "ApproximateNumberOfMessagesVisible",
          dimensions: { QueueName: inboundDeadLetterQueue.nodes.queue.name },
          stat: "Maximum",
          period: 60,
        },
      },
      expression("newInboundDeadLetters", "IF(DIFF(FILL(depth, 0)) > 0, DIFF(FILL(depth, 0)), 0)", "New dead letters"),
    ],
  },
);

export const queueAgeAlarm = alarm("QueueAgeAlarm", "a reply has waited in the delivery queue past its first retry", {
  namespace: "AWS/SQS",
  metricName: "ApproximateAgeOfOldestMessage",
  dimensions: { QueueName: deliveryQueue.nodes.queue.name },
  statistic: "Maximum",
  period: 60,
  threshold: queueAgeThresholdSeconds(settings.retryScheduleMs, timing.workerTimeoutSeconds),
});

// routeFunctions follows the manifest's order.
const webhookFunction = routeFunctions[routes.findIndex((route) => route.name === "ChatwootWebhook")];
if (!webhookFunction) throw new Error("stacks/routes.ts has no ChatwootWebhook route to watch");

// Chatwoot never retries a webhook (CONTRACT.md §4.3): every failed one is a lost event until the sweep finds it.
export const webhookErrorsAlarm = alarm("WebhookErrorsAlarm", "the webhook route answered 5xx or failed", {
  metricQueries: [
    ours("failed", "Webhooks", "failed", 60),
    lambdaMetric("errors", "Errors", webhookFunction.name),
    lambdaMetric("throttles", "Throttles", webhookFunction.name),
    expression("webhook5xx", "FILL(failed, 0) + FILL(errors, 0) + FILL(throttles, 0)", "Webhook failures"),
  ],
});

export const inboundErrorRateAlarm = alarm("InboundErrorRateAlarm", "over 5% of POST /messages answered 5xx", {
  threshold: INBOUND_5XX_PERCENT,
  metricQueries: [
    ...INBOUND_OUTCOMES.map((outcome) => ours(outcome, "InboundMessages", outcome, FIVE_MINUTES)),
    expression("inbound5xxPercent", `100 * FILL(failed, 0) / (${sumOf(INBOUND_OUTCOMES)})`, "Inbound 5xx %"),
  ],
});

// A metric math alarm takes at most ten metrics (CloudWatch quotas:
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_limits.html): the HTTP functions
// and the queue-driven ones get an alarm each.
function throttlesAlarmOf(name: string, what: string, functions: Array<{ name: $util.Output<string> }>) {
  return alarm(name, `Lambda throttled ${what}`, {
    metricQueries: [
      ...functions.map((fn, i) => lambdaMetric(`t${i}`, "Throttles", fn.name)),
      expression("throttles", sumOf(functions.map((_, i) => `t${i}`)), "Throttles"),
    ],
  });
}

export const throttlesAlarm = throttlesAlarmOf("ThrottlesAlarm", "an HTTP function of the bridge", routeFunctions);
export const workerThrottlesAlarm = throttlesAlarmOf("WorkerThrottlesAlarm", "a worker of the bridge", [
  worker,
  inboundWorkerFunction,
  sweepFunction,
]);

export const chatwootErrorRateAlarm = alarm("ChatwootErrorRateAlarm", "over 10% of Chatwoot calls failed", {
  threshold: CHATWOOT_ERROR_PERCENT,
  metricQueries: [
    ...CHATWOOT_OUTCOMES.map((outcome) => ours(outcome, "ChatwootCalls", outcome, FIVE_MINUTES)),
    expression(
      "chatwootErrorPercent",
      `100 * (${sumOf(CHATWOOT_ERROR_OUTCOMES)}) / (${sumOf(CHATWOOT_OUTCOMES)})`,
      "Chatwoot error %",
    ),
  ],
});
