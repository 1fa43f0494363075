// The operations part of the stack under Pulumi mocks (spec §7): the sweep's schedule, log retention on every
// function, the alarms and where they notify, and the dashboard. The typical deploy is shared; one other input
// (a 10-minute sweep, three months of logs) is one more run.
import { beforeAll, describe, expect, it } from "vitest";
import { stackRunFor } from "./support/shared-stack.js";
import type { StackRun } from "./support/stack-run.js";
import {
  DEPLOY_ENV,
  SECRETS,
  TYPICAL_DEPLOY,
  field,
  resource,
  resourcesOf,
  text,
  unsecret,
} from "./support/stack-queries.js";

let run: StackRun;
beforeAll(async () => {
  run = await stackRunFor(TYPICAL_DEPLOY);
}, 120_000);

const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const alarm = (name: string) => resource(run, ALARM, name);
const lambdaName = (name: string) => text(resource(run, "aws:lambda/function:Function", `${name}Function`).name);
const queueName = (name: string) => text(resource(run, "aws:sqs/queue:Queue", `${name}Queue`).name);
const queries = (name: string): unknown[] => {
  const list = alarm(name).metricQueries;
  return Array.isArray(list) ? list : [];
};
const returned = (name: string) => queries(name).find((q) => field(q, "returnData") === true);
const metricOf = (name: string, id: string) =>
  field(
    queries(name).find((q) => field(q, "id") === id),
    "metric",
  );

describe("the catch-up sweep's schedule", () => {
  it("runs the Sweep function every SWEEP_INTERVAL (5 minutes by default)", () => {
    const rules = resourcesOf(run, "aws:cloudwatch/eventRule:EventRule");
    expect(rules.map((r) => field(r.inputs, "scheduleExpression"))).toEqual(["rate(5 minutes)"]);
    const targets = resourcesOf(run, "aws:cloudwatch/eventTarget:EventTarget");
    expect(targets.map((t) => text(unsecret(field(t.inputs, "arn"))))).toEqual([
      `arn:aws:lambda:eu-central-1:123456789012:function:${lambdaName("Sweep")}`,
    ]);
    const retries = resource(
      run,
      "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig",
      "SweepEventInvokeConfig",
    );
    expect(retries.maximumRetryAttempts).toBe(0);
    const permission = resource(run, "aws:lambda/permission:Permission", "SweepSchedulePermission");
    expect([permission.principal, permission.action]).toEqual(["events.amazonaws.com", "lambda:InvokeFunction"]);
  });
});

describe("log retention", () => {
  it("keeps every function's logs, and the API's access log, 30 days by default", () => {
    const groups = resourcesOf(run, "aws:cloudwatch/logGroup:LogGroup");
    expect(groups.map((g) => g.name).sort()).toEqual(
      [...resourcesOf(run, "sst:aws:Function").map((f) => `${f.name}LogGroup`), "BridgeApiAccessLog"].sort(),
    );
    expect(new Set(groups.map((g) => field(g.inputs, "retentionInDays")))).toEqual(new Set([30]));
  });
});

describe("alarms", () => {
  it("creates each alarm of spec §7, every one notifying the Alerts topic in ALARM and back in OK", () => {
    const names = resourcesOf(run, ALARM).map((a) => a.name);
    expect(names.sort()).toEqual(
      [
        "ChatwootErrorRateAlarm",
        "DeadLetterAlarm",
        "InboundDeadLetterAlarm",
        "InboundErrorRateAlarm",
        "QueueAgeAlarm",
        "ThrottlesAlarm",
        "WebhookErrorsAlarm",
        "WorkerThrottlesAlarm",
      ].sort(),
    );
    for (const name of names) {
      const inputs = alarm(name);
      expect([inputs.alarmActions, inputs.okActions, inputs.treatMissingData], name).toEqual([
        [expect.stringContaining("Alerts")],
        [expect.stringContaining("Alerts")],
        "notBreaching",
      ]);
      expect(text(inputs.alarmDescription), name).toContain("README: Operating it");
    }
  });

  it("notifies every new dead letter: the worker's count per minute plus any rise of the dead-letter queue", () => {
    expect(metricOf("DeadLetterAlarm", "dead")).toEqual({
      namespace: "ChatwootBridge",
      metricName: "Deliveries",
      dimensions: { Outcome: "dead-letter" },
      stat: "Sum",
      period: 60,
    });
    expect(field(metricOf("DeadLetterAlarm", "depth"), "dimensions")).toEqual({
      QueueName: queueName("DeliveryDeadLetterQueue"),
    });
    expect(field(returned("DeadLetterAlarm"), "expression")).toBe(
      "FILL(dead, 0) + IF(DIFF(FILL(depth, 0)) > 0, DIFF(FILL(depth, 0)), 0)",
    );
    expect([alarm("DeadLetterAlarm").threshold, alarm("DeadLetterAlarm").evaluationPeriods]).toEqual([0, 1]);
  });

  it("alarms when the delivery queue's oldest message is older than an attempt plus the first retry delay", () => {
    const age = alarm("QueueAgeAlarm");
    // The default schedule's first delay (5 s) plus the worker's timeout (78 s).
    expect([age.metricName, age.dimensions, age.statistic, age.threshold]).toEqual([
      "ApproximateAgeOfOldestMessage",
      { QueueName: queueName("DeliveryQueue") },
      "Maximum",
      83,
    ]);
  });

  it("watches the webhook route's 5xx answers, errors and throttles, since Chatwoot never retries a webhook", () => {
    expect(field(metricOf("WebhookErrorsAlarm", "failed"), "dimensions")).toEqual({ Outcome: "failed" });
    expect(field(metricOf("WebhookErrorsAlarm", "errors"), "dimensions")).toEqual({
      FunctionName: lambdaName("ChatwootWebhook"),
    });
    expect(field(returned("WebhookErrorsAlarm"), "expression")).toBe(
      "FILL(failed, 0) + FILL(errors, 0) + FILL(throttles, 0)",
    );
  });

  it("alarms on rates: inbound 5xx over 5% and Chatwoot errors over 10%, over five minutes", () => {
    expect([alarm("InboundErrorRateAlarm").threshold, field(returned("InboundErrorRateAlarm"), "expression")]).toEqual([
      5,
      "100 * FILL(failed, 0) / (FILL(created, 0) + FILL(duplicate, 0) + FILL(refused, 0) + FILL(failed, 0))",
    ]);
    expect([
      alarm("ChatwootErrorRateAlarm").threshold,
      field(returned("ChatwootErrorRateAlarm"), "expression"),
    ]).toEqual([
      10,
      "100 * (FILL(unavailable, 0) + FILL(failed, 0) + FILL(timeout, 0)) / (FILL(ok, 0) + FILL(rejected, 0) + FILL(not_found, 0) + FILL(unavailable, 0) + FILL(failed, 0) + FILL(timeout, 0) + FILL(local_error, 0))",
    ]);
    expect(field(metricOf("ChatwootErrorRateAlarm", "timeout"), "period")).toBe(300);
  });

  it("counts throttles of every function (two alarms: metric math takes at most ten metrics)", () => {
    const watched = [...queries("ThrottlesAlarm"), ...queries("WorkerThrottlesAlarm")]
      .map((q) => field(q, "metric", "dimensions", "FunctionName"))
      .filter((name) => name !== undefined);
    expect(watched.map(text).sort()).toEqual(
      resourcesOf(run, "sst:aws:Function")
        .map((f) => lambdaName(f.name))
        .sort(),
    );
  });

  it("subscribes no address unless DEPLOY_ALARM_EMAIL is set", () => {
    expect(resourcesOf(run, "aws:sns/topicSubscription:TopicSubscription")).toEqual([]);
  });
});

describe("the dashboard", () => {
  it("shows our metrics, the queues and every function's errors, throttles and duration", () => {
    const body = JSON.parse(text(resource(run, "aws:cloudwatch/dashboard:Dashboard", "Dashboard").dashboardBody));
    const widgets: Array<{ properties: { title: string; metrics: unknown[][] } }> = body.widgets;
    expect(widgets.map((w) => w.properties.title)).toEqual([
      "Inbound messages by outcome",
      "Webhooks by outcome",
      "Deliveries by outcome",
      "Agent reply to delivered (ms)",
      "Chatwoot calls by outcome",
      "Chatwoot latency (ms)",
      "Sweep: conversations by outcome",
      "Sweep: runs by outcome",
      "Queue depth",
      "Age of oldest queued message (s)",
      "Function errors",
      "Function throttles",
      "Function duration p99 (ms)",
    ]);
    const metricsOf = (title: string) => widgets.find((w) => w.properties.title === title)?.properties.metrics ?? [];
    expect(metricsOf("Deliveries by outcome")).toContainEqual([
      "ChatwootBridge",
      "Deliveries",
      "Outcome",
      "dead-letter",
    ]);
    expect(metricsOf("Age of oldest queued message (s)")[0]).toEqual([
      "AWS/SQS",
      "ApproximateAgeOfOldestMessage",
      "QueueName",
      queueName("DeliveryQueue"),
      { stat: "Maximum" },
    ]);
    expect(metricsOf("Function errors").map((row) => row[3])).toHaveLength(10);
  });
});

describe("another deploy's choices", () => {
  it("schedules the sweep at SWEEP_INTERVAL and keeps logs for DEPLOY_LOG_RETENTION", async () => {
    const other = await stackRunFor({
      env: { ...DEPLOY_ENV, SWEEP_INTERVAL: "10m", SWEEP_LOOKBACK: "6h", DEPLOY_LOG_RETENTION: "3 months" },
      secrets: SECRETS,
    });
    expect(other.errors).toEqual([]);
    const rules = resourcesOf(other, "aws:cloudwatch/eventRule:EventRule");
    expect(rules.map((r) => field(r.inputs, "scheduleExpression"))).toEqual(["rate(10 minutes)"]);
    const groups = resourcesOf(other, "aws:cloudwatch/logGroup:LogGroup");
    expect(new Set(groups.map((g) => field(g.inputs, "retentionInDays")))).toEqual(new Set([90]));
    const sweepEnv = field(
      resource(other, "aws:lambda/function:Function", "SweepFunction"),
      "environment",
      "variables",
    );
    expect(sweepEnv).toMatchObject({ SWEEP_INTERVAL: "10m", SWEEP_LOOKBACK: "6h" });
  }, 120_000);

  it("refuses a log retention CloudWatch does not offer, naming the choices", async () => {
    const refused = await stackRunFor({ env: { ...DEPLOY_ENV, DEPLOY_LOG_RETENTION: "45 days" }, secrets: SECRETS });
    expect(refused.errors.join("\n")).toContain("DEPLOY_LOG_RETENTION must be one of: 1 day, 3 days");
  }, 120_000);
});
