// SWEEP_INTERVAL and SWEEP_LOOKBACK (spec §2): defaults 5m and 2h, durations parsed, bad values named, and the
// sweep's pacing and schedule derived from the interval.
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../functions/config.js";
import { sweepSignalBudget } from "../../functions/core/sweep-pacing.js";
import { sweepRate } from "../../stacks/sweep-rate.js";

const local = {
  CHATWOOT_ACCOUNT_ID: "3",
  CHATWOOT_INBOX_ID: "12",
  CHATWOOT_API_TOKEN: "token-value",
  CHATWOOT_WEBHOOK_SECRET: "webhook-secret",
  BRIDGE_API_KEY: "a-bridge-api-key-of-length",
};

function problemsOf(source: Record<string, string>): string[] {
  try {
    loadConfig(source);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe("the sweep's configuration", () => {
  it("defaults to a run every 5 minutes looking back 2 hours", () => {
    const config = loadConfig(local);
    expect([config.sweepIntervalMs, config.sweepLookbackMs]).toEqual([300_000, 7_200_000]);
  });

  it("reads durations", () => {
    const config = loadConfig({ ...local, SWEEP_INTERVAL: "10m", SWEEP_LOOKBACK: "6h" });
    expect([config.sweepIntervalMs, config.sweepLookbackMs]).toEqual([600_000, 21_600_000]);
  });

  it("names a malformed duration, an interval under EventBridge's minute and a lookback shorter than the interval", () => {
    expect(problemsOf({ ...local, SWEEP_INTERVAL: "often" })).toEqual([
      "SWEEP_INTERVAL must be a duration such as 5m or 2h",
    ]);
    expect(problemsOf({ ...local, SWEEP_INTERVAL: "30s" })).toEqual(["SWEEP_INTERVAL must be at least 1m"]);
    expect(problemsOf({ ...local, SWEEP_INTERVAL: "1h", SWEEP_LOOKBACK: "30m" })).toEqual([
      "SWEEP_LOOKBACK must be at least SWEEP_INTERVAL",
    ]);
  });

  it("lets a run signal a fifth of Chatwoot's 3,000 requests/min over its interval", () => {
    expect([sweepSignalBudget(60_000), sweepSignalBudget(300_000)]).toEqual([600, 3000]);
  });

  it("schedules the function at the interval, in whole minutes", () => {
    expect([sweepRate(60_000), sweepRate(300_000), sweepRate(3_600_000)]).toEqual([
      "rate(1 minute)",
      "rate(5 minutes)",
      "rate(60 minutes)",
    ]);
  });
});
