// The numbers that must agree between the worker, its queue and Chatwoot's rate limit: timeouts, visibility,
// redrive count (from DELIVERY_RETRY_SCHEDULE). Capacity is test/infra/capacity.test.ts.
import { describe, expect, it } from "vitest";
import { attemptsOf } from "../../functions/core/delivery.js";
import { DEFAULT_RETRY_SCHEDULE, parseDurationMs } from "../../functions/config.js";
import {
  DELIVERY_TIMEOUT_SECONDS,
  SAFETY_NET_RECEIVE_COUNT,
  WORKER_BATCH_SIZE,
  deliveryTiming,
} from "../../stacks/delivery-timing.js";

const DEFAULT_SCHEDULE_MS = DEFAULT_RETRY_SCHEDULE.split(",").map((entry) => parseDurationMs(entry) ?? Number.NaN);

describe("deliveryTiming", () => {
  it("gives the default schedule 10 attempts, a 78 s worker, a 468 s visibility timeout and SQS's 1000 receives", () => {
    expect(deliveryTiming(DEFAULT_SCHEDULE_MS, 8000)).toEqual({
      attempts: 10,
      workerTimeoutSeconds: 78,
      visibilityTimeoutSeconds: 468,
      maxReceiveCount: 1000,
      retentionSeconds: 14 * 24 * 3600,
    });
  });

  it("leaves redrive to SQS only as a safety net: receives are not attempts (store errors spend none)", () => {
    const schedule = [60_000, 60_000, 60_000];
    expect(deliveryTiming(schedule, 8000).maxReceiveCount).toBe(SAFETY_NET_RECEIVE_COUNT);
    expect(SAFETY_NET_RECEIVE_COUNT).toBeGreaterThan(attemptsOf(schedule));
  });

  it("hands the worker one record at a time: a record is a conversation's whole pull", () => {
    expect(WORKER_BATCH_SIZE).toBe(1);
  });

  it("fits two replies' timed-out delivery and three timed-out Chatwoot calls each into the worker's timeout", () => {
    const timing = deliveryTiming(DEFAULT_SCHEDULE_MS, 30_000);
    expect(timing.workerTimeoutSeconds).toBeGreaterThan(2 * (DELIVERY_TIMEOUT_SECONDS + 3 * 30));
    expect(timing.workerTimeoutSeconds).toBe(210);
  });

  it("keeps the visibility timeout six times the worker's timeout, so a running batch never reappears", () => {
    const timing = deliveryTiming(DEFAULT_SCHEDULE_MS, 8000);
    expect(timing.visibilityTimeoutSeconds).toBe(6 * timing.workerTimeoutSeconds);
  });

  it("refuses a Chatwoot timeout that would push the worker past Lambda's 15 minutes", () => {
    expect(() => deliveryTiming(DEFAULT_SCHEDULE_MS, 146_000)).toThrow(
      "CHATWOOT_TIMEOUT_MS is too large: a worker invocation would need 906 s, over Lambda's 900 s",
    );
    expect(deliveryTiming(DEFAULT_SCHEDULE_MS, 145_000).workerTimeoutSeconds).toBe(900);
  });

  it("refuses a schedule a message could outlive in the queue", () => {
    const twentyEightTwelveHours = Array.from({ length: 28 }, () => 12 * 3_600_000);
    expect(() => deliveryTiming(twentyEightTwelveHours, 8000)).toThrow(
      "DELIVERY_RETRY_SCHEDULE is too long: a delivery could outlive the queue's 14-day retention",
    );
  });
});
