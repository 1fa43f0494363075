// Capacity by design (spec §7, docs/infra.md "Capacity"): no function is capped by reserved concurrency, the stage
// throttle leaves the spec's rates room, and the worker's event source scales to 50 deliveries/s with room to spare.
import { beforeAll, describe, expect, it } from "vitest";
import {
  API_THROTTLE,
  DELIVERY_SECONDS,
  NEW_USER_MESSAGE_SECONDS,
  TARGET_DELIVERIES_PER_SECOND,
  TARGET_INBOUND_PER_SECOND,
  WORKER_MAX_CONCURRENCY,
  instancesFor,
} from "../../stacks/concurrency.js";
import { stackRunFor } from "./support/shared-stack.js";
import type { StackRun } from "./support/stack-run.js";
import { TYPICAL_DEPLOY, field, resource, resourcesOf } from "./support/stack-queries.js";

describe("the capacity arithmetic", () => {
  it("throttles the API at twice the spec's inbound rate, so a burst of 1,000 first messages in 10 s passes", () => {
    expect(API_THROTTLE.rateLimitPerSecond).toBeGreaterThanOrEqual(TARGET_INBOUND_PER_SECOND);
    expect(API_THROTTLE.rateLimitPerSecond * 10).toBeGreaterThanOrEqual(1000);
    expect(API_THROTTLE.burstLimit).toBeGreaterThanOrEqual(TARGET_INBOUND_PER_SECOND);
  });

  it("gives the worker 4 times the instances 50 deliveries/s need, the rest for conversations that time out", () => {
    const healthy = instancesFor(TARGET_DELIVERIES_PER_SECOND, DELIVERY_SECONDS);
    expect(healthy).toBe(25);
    expect(WORKER_MAX_CONCURRENCY).toBe(4 * healthy);
    expect(WORKER_MAX_CONCURRENCY).toBeLessThanOrEqual(1000);
  });

  it("needs about 100 inbound instances at 100 new users' first messages per second", () => {
    expect(instancesFor(TARGET_INBOUND_PER_SECOND, NEW_USER_MESSAGE_SECONDS)).toBe(100);
  });
});

describe("the mocked deploy's capacity settings", () => {
  let run: StackRun;
  beforeAll(async () => {
    run = await stackRunFor(TYPICAL_DEPLOY);
  }, 120_000);

  it("reserves (and so caps) no function's concurrency but the sweep's, which must never run twice at once", () => {
    const reserved = resourcesOf(run, "aws:lambda/function:Function")
      .filter((fn) => fn.inputs.reservedConcurrentExecutions !== undefined)
      .map((fn) => [fn.name, fn.inputs.reservedConcurrentExecutions]);
    expect(reserved).toEqual([["SweepFunction", 1]]);
  });

  it("throttles the HTTP API's stage for every route", () => {
    const stage = resource(run, "aws:apigatewayv2/stage:Stage", "BridgeApiStage");
    expect(field(stage, "defaultRouteSettings")).toEqual({ throttlingRateLimit: 200, throttlingBurstLimit: 500 });
  });

  it("lets the worker's event source scale to 100 concurrent invocations", () => {
    const mappings = resourcesOf(run, "aws:lambda/eventSourceMapping:EventSourceMapping");
    const delivery = mappings.find((m) => String(field(m.inputs, "eventSourceArn")).includes("DeliveryQueue"));
    expect(field(delivery?.inputs, "scalingConfig")).toEqual({ maximumConcurrency: WORKER_MAX_CONCURRENCY });
  });
});
