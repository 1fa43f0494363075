// The numbers that must agree between the worker, its queue and Chatwoot's rate limit: timeouts, visibility,
// redrive count (from DELIVERY_RETRY_SCHEDULE). Capacity is test/infra/capacity.test.ts.
import { describe, expect, it } from "vitest";
import { attemptsOf } from "../../functions/core/delivery.js";
import { DEFAULT_RETRY_SCHEDULE, parseDurationMs } from "../../functions/config.js";
import {
  DELIVERY_TIMEOUT_SECONDS,
  REDRIVE_MARGIN,
  WORKER_BATCH_SIZE,
  deliveryTiming,
} from "../../stacks/delivery-timing.js";

const DEFAULT_SCHEDULE_MS = DEFAULT_RETRY_SCHEDULE.split(",").map((entry) => parseDurationMs(entry) ?? Number.NaN);

describe("deliveryTiming", () => {
  it("gives the default schedule 10 attempts, 13 receives, a 23 s worker and a 138 s visibility timeout", () => {
    expect(deliveryTiming(DEFAULT_SCHEDULE_MS, 8000)).toEqual({
      attempts: 10,
      workerTimeoutSeconds: 23,
      visibilityTimeoutSeconds: 138,
      maxReceiveCount: 13,
      retentionSeconds: 14 * 24 * 3600,
    });
  });

  it("lets SQS give up only after every attempt the worker counts, plus the margin", () => {
    const schedule = [60_000, 60_000, 60_000];
    expect(deliveryTiming(schedule, 8000).maxReceiveCount).toBe(attemptsOf(schedule) + REDRIVE_MARGIN);
  });

  it("hands the worker one record at a time, so a receive is an attempt", () => {
    expect(WORKER_BATCH_SIZE).toBe(1);
  });

  it("fits a timed-out delivery and a timed-out Chatwoot call into the worker's timeout", () => {
    const timing = deliveryTiming(DEFAULT_SCHEDULE_MS, 30_000);
    expect(timing.workerTimeoutSeconds).toBeGreaterThan(WORKER_BATCH_SIZE * (DELIVERY_TIMEOUT_SECONDS + 30));
    expect(timing.workerTimeoutSeconds).toBe(45);
  });

  it("keeps the visibility timeout six times the worker's timeout, so a running batch never reappears", () => {
    const timing = deliveryTiming(DEFAULT_SCHEDULE_MS, 8000);
    expect(timing.visibilityTimeoutSeconds).toBe(6 * timing.workerTimeoutSeconds);
  });

  it("refuses a Chatwoot timeout that would push the worker past Lambda's 15 minutes", () => {
    expect(() => deliveryTiming(DEFAULT_SCHEDULE_MS, 886_000)).toThrow(
      "CHATWOOT_TIMEOUT_MS is too large: a worker batch would need 901 s, over Lambda's 900 s",
    );
    expect(deliveryTiming(DEFAULT_SCHEDULE_MS, 885_000).workerTimeoutSeconds).toBe(900);
  });

  it("refuses a schedule a message could outlive in the queue", () => {
    const twentyEightTwelveHours = Array.from({ length: 28 }, () => 12 * 3_600_000);
    expect(() => deliveryTiming(twentyEightTwelveHours, 8000)).toThrow(
      "DELIVERY_RETRY_SCHEDULE is too long: a delivery could outlive the queue's 14-day retention",
    );
  });
});
