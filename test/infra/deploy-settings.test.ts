// The deploying shell's settings: what every function receives as environment, and the clear refusals that
// stop `sst deploy` before anything is created (checked by the Lambdas' own loadConfig).
import { describe, expect, it } from "vitest";
import { DeploySettingsError, checkSecretValues, readDeploySettings } from "../../stacks/deploy-settings.js";
import { DEPLOY_ENV } from "./support/stack-queries.js";

const VALID_SECRETS = {
  chatwootApiToken: "placeholder-user-access-token",
  chatwootWebhookSecret: "placeholder-inbox-secret",
  bridgeApiKey: "placeholder-bridge-api-key-0123456789",
  deliverySecret: `whsec_${Buffer.alloc(32, 7).toString("base64")}`,
};

function problemsOf(action: () => unknown): string[] {
  try {
    action();
  } catch (error) {
    if (error instanceof DeploySettingsError) return error.problems;
    throw error;
  }
  return [];
}

describe("readDeploySettings", () => {
  it("passes exactly the spec §2 variables that are set, plus BRIDGE_RUNTIME=aws, and nothing else from the shell", () => {
    const settings = readDeploySettings({
      ...DEPLOY_ENV,
      CHATWOOT_TIMEOUT_MS: "5000",
      HOME: "/root",
      AWS_PROFILE: "admin",
      CHATWOOT_API_TOKEN: "must-not-leak",
    });
    expect(settings.environment).toEqual({ ...DEPLOY_ENV, CHATWOOT_TIMEOUT_MS: "5000", BRIDGE_RUNTIME: "aws" });
    expect(settings.chatwootTimeoutMs).toBe(5000);
  });

  it("parses the retry schedule with the runtime's own parser, defaulting to spec §2's", () => {
    expect(readDeploySettings(DEPLOY_ENV).retryScheduleMs).toEqual([
      5_000, 30_000, 120_000, 600_000, 1_800_000, 3_600_000, 7_200_000, 14_400_000, 28_800_000,
    ]);
    expect(readDeploySettings({ ...DEPLOY_ENV, DELIVERY_RETRY_SCHEDULE: "1m,1h" }).retryScheduleMs).toEqual([
      60_000, 3_600_000,
    ]);
  });

  it("names every missing variable at once, by name", () => {
    expect(problemsOf(() => readDeploySettings({}))).toEqual([
      "CHATWOOT_BASE_URL is required in AWS",
      "CHATWOOT_ACCOUNT_ID is required",
      "CHATWOOT_INBOX_ID is required",
      "DELIVERY_URL is required in AWS",
    ]);
  });

  it("refuses a malformed schedule instead of deploying the default", () => {
    expect(problemsOf(() => readDeploySettings({ ...DEPLOY_ENV, DELIVERY_RETRY_SCHEDULE: "5s,thirty" }))).toEqual([
      "DELIVERY_RETRY_SCHEDULE must be a comma-separated list of durations such as 5s,30s,2m,1h",
    ]);
  });

  it("refuses a CHATWOOT_TIMEOUT_MS the Chatwoot-bound functions' 29 s cannot hold, naming the bound", () => {
    expect(problemsOf(() => readDeploySettings({ ...DEPLOY_ENV, CHATWOOT_TIMEOUT_MS: "20000" }))).toEqual([
      "CHATWOOT_TIMEOUT_MS must be at most 13750: a new user's first message makes 2 Chatwoot calls in turn, and both must fit the 29 s timeout of the functions that call Chatwoot, 1500 ms kept to record the outcome",
    ]);
  });

  it("reads the DEPLOY_ switches and refuses values it does not understand", () => {
    const settings = readDeploySettings({ ...DEPLOY_ENV, DEPLOY_ALARM_EMAIL: "ops@example.com" });
    expect(settings.alarmEmail).toBe("ops@example.com");
    expect(problemsOf(() => readDeploySettings({ ...DEPLOY_ENV, DEPLOY_ALARM_EMAIL: "ops" }))).toEqual([
      "DEPLOY_ALARM_EMAIL must be an email address",
    ]);
  });

  it("keeps DEPLOY_ switches out of the functions' environment", () => {
    const settings = readDeploySettings({ ...DEPLOY_ENV, DEPLOY_ALARM_EMAIL: "ops@example.com" });
    expect(Object.keys(settings.environment).filter((name) => name.startsWith("DEPLOY_"))).toEqual([]);
  });
});

describe("checkSecretValues", () => {
  it("accepts well-formed secrets", () => {
    expect(problemsOf(() => checkSecretValues(readDeploySettings(DEPLOY_ENV), VALID_SECRETS))).toEqual([]);
  });

  it("names malformed secrets by their SST name and never repeats their values", () => {
    const bad = { ...VALID_SECRETS, bridgeApiKey: "short-key", deliverySecret: "not-a-whsec-value" };
    const problems = problemsOf(() => checkSecretValues(readDeploySettings(DEPLOY_ENV), bad));
    expect(problems).toEqual([
      "BridgeApiKey (BRIDGE_API_KEY) must be at least 16 characters",
      "DeliverySecret (DELIVERY_SECRET) must be whsec_ followed by base64 of at least 24 bytes",
    ]);
    expect(problems.join("\n")).not.toMatch(/short-key|not-a-whsec-value/);
  });
});
