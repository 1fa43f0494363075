// The real sst.config.ts under Pulumi mocks: the mapping table, the FIFO delivery queue wired to its FIFO
// dead-letter queue and to the worker, the alarm on dead letters, the API's logs, and the printed URLs.
import { beforeAll, describe, expect, it } from "vitest";
import { mappingTable } from "../../stacks/table.js";
import { API_ENDPOINT } from "./support/mock-runner.js";
import { stackRunFor } from "./support/shared-stack.js";
import type { StackRun } from "./support/stack-run.js";
import { TYPICAL_DEPLOY, field, resource, resourcesOf, text } from "./support/stack-queries.js";

let run: StackRun;

beforeAll(async () => {
  run = await stackRunFor(TYPICAL_DEPLOY);
}, 120_000);

const queue = (name: string) => resource(run, "aws:sqs/queue:Queue", `${name}Queue`);
const arnOf = (name: string) => `arn:aws:sqs:eu-central-1:123456789012:${text(queue(name).name)}`;

describe("the mapping table", () => {
  it("has the designed key, no index, on-demand billing, TTL on expiresAt and point-in-time recovery", () => {
    const table = resource(run, "aws:dynamodb/table:Table", "MappingTableTable");
    expect({
      hashKey: table.hashKey,
      rangeKey: table.rangeKey,
      attributes: table.attributes,
      globalSecondaryIndexes: table.globalSecondaryIndexes,
      localSecondaryIndexes: table.localSecondaryIndexes,
      billingMode: table.billingMode,
      ttl: table.ttl,
      pointInTimeRecovery: table.pointInTimeRecovery,
      deletionProtectionEnabled: table.deletionProtectionEnabled,
    }).toEqual({
      hashKey: "pk",
      rangeKey: undefined,
      attributes: [{ name: "pk", type: "S" }],
      globalSecondaryIndexes: [],
      localSecondaryIndexes: [],
      billingMode: "PAY_PER_REQUEST",
      ttl: { attributeName: "expiresAt", enabled: true },
      pointInTimeRecovery: { enabled: true },
      deletionProtectionEnabled: false,
    });
    expect([table.hashKey, field(table.ttl, "attributeName")]).toEqual([mappingTable.hashKey, mappingTable.ttl]);
  });
});

describe("the delivery queues", () => {
  it("makes the delivery queue FIFO with content-based deduplication and a visibility six times the worker's timeout", () => {
    const delivery = queue("DeliveryQueue");
    const workerTimeout = resource(run, "aws:lambda/function:Function", "DeliveryWorkerFunction").timeout;
    expect([
      delivery.fifoQueue,
      delivery.contentBasedDeduplication,
      delivery.visibilityTimeoutSeconds,
      workerTimeout,
    ]).toEqual([true, true, 468, 78]);
    expect(text(delivery.name).endsWith(".fifo")).toBe(true);
  });

  it("keeps SQS's redrive to the FIFO dead-letter queue only as a safety net: the worker dead-letters itself", () => {
    expect(JSON.parse(text(queue("DeliveryQueue").redrivePolicy))).toEqual({
      deadLetterTargetArn: arnOf("DeliveryDeadLetterQueue"),
      maxReceiveCount: 1000,
    });
    expect(queue("DeliveryDeadLetterQueue").fifoQueue).toBe(true);
  });

  it("holds 1 MiB messages in every queue, SQS's largest, so the longest reply and a whole request fit", () => {
    const names = ["DeliveryQueue", "DeliveryDeadLetterQueue", "InboundQueue", "InboundDeadLetterQueue"];
    expect(names.map((name) => queue(name).maxMessageSize)).toEqual([1_048_576, 1_048_576, 1_048_576, 1_048_576]);
  });

  it("makes the inbound queue FIFO, visible again after six worker timeouts, redriving after SQS's 1,000 receives", () => {
    const inbound = queue("InboundQueue");
    const workerTimeout = resource(run, "aws:lambda/function:Function", "InboundWorkerFunction").timeout;
    expect([
      inbound.fifoQueue,
      inbound.contentBasedDeduplication,
      inbound.visibilityTimeoutSeconds,
      workerTimeout,
    ]).toEqual([true, true, 720, 120]);
    expect(JSON.parse(text(inbound.redrivePolicy))).toEqual({
      deadLetterTargetArn: arnOf("InboundDeadLetterQueue"),
      maxReceiveCount: 1000,
    });
    expect([queue("InboundDeadLetterQueue").fifoQueue, inbound.messageRetentionSeconds]).toEqual([true, 1_209_600]);
  });

  it("keeps messages in both queues for 14 days, SQS's longest", () => {
    expect([
      queue("DeliveryQueue").messageRetentionSeconds,
      queue("DeliveryDeadLetterQueue").messageRetentionSeconds,
    ]).toEqual([1_209_600, 1_209_600]);
  });

  it("feeds the worker one record at a time with partial batch failures and up to 100 concurrent invocations", () => {
    const mappings = resourcesOf(run, "aws:lambda/eventSourceMapping:EventSourceMapping").map((r) =>
      resource(run, r.type, r.name),
    );
    expect(mappings.length).toBe(2);
    const mapping = mappings.find((m) => m.eventSourceArn === arnOf("DeliveryQueue"));
    expect({ ...mapping, functionName: text(mapping?.functionName).split(":function:")[1] }).toEqual({
      batchSize: 1,
      eventSourceArn: arnOf("DeliveryQueue"),
      functionName: text(resource(run, "aws:lambda/function:Function", "DeliveryWorkerFunction").name),
      functionResponseTypes: ["ReportBatchItemFailures"],
      maximumBatchingWindowInSeconds: 0,
      scalingConfig: { maximumConcurrency: 100 },
    });
  });
});

describe("the HTTP API", () => {
  it("has no CORS and an access log without the request path, which holds raw user ids", () => {
    expect(resource(run, "aws:apigatewayv2/api:Api", "BridgeApiApi").corsConfiguration).toEqual({});
    const format = text(
      field(resource(run, "aws:apigatewayv2/stage:Stage", "BridgeApiStage"), "accessLogSettings", "format"),
    );
    expect(Object.keys(JSON.parse(format))).toEqual([
      "requestTime",
      "requestId",
      "routeKey",
      "status",
      "responseLatency",
      "integrationStatus",
      "integrationLatency",
      "ip",
    ]);
    expect(format).not.toContain("$context.path");
  });

  it("prints the API URL and the exact webhook URL to paste into Chatwoot", () => {
    expect(run.outputs).toEqual({
      apiUrl: API_ENDPOINT,
      chatwootWebhookUrl: `${API_ENDPOINT}/webhooks/chatwoot`,
      _protect: false,
    });
  });
});
