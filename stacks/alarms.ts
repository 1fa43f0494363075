// An alarm as soon as anything reaches the dead-letter queue: a reply not delivered after every attempt.
// It notifies an SNS topic; DEPLOY_ALARM_EMAIL subscribes an address to it.
import { settings } from "./settings.js";
import { deadLetterQueue } from "./storage.js";

export const alerts = new aws.sns.Topic("Alerts");

if (settings.alarmEmail) {
  new aws.sns.TopicSubscription("AlertsEmail", { topic: alerts.arn, protocol: "email", endpoint: settings.alarmEmail });
}

export const deadLetterAlarm = new aws.cloudwatch.MetricAlarm("DeadLetterAlarm", {
  alarmDescription:
    "chatwoot-bridge: an agent reply could not be delivered and is in the dead-letter queue (README: Deploying to AWS)",
  namespace: "AWS/SQS",
  metricName: "ApproximateNumberOfMessagesVisible",
  dimensions: { QueueName: deadLetterQueue.nodes.queue.name },
  statistic: "Maximum",
  period: 60,
  evaluationPeriods: 1,
  threshold: 0,
  comparisonOperator: "GreaterThanThreshold",
  // SQS sends no data points for an idle queue: that is the healthy state.
  treatMissingData: "notBreaching",
  alarmActions: [alerts.arn],
  okActions: [alerts.arn],
});
