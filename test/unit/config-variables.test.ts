// The variables' schemas beyond test/unit/config.test.ts: ports, URLs, the retry schedule's 12 h cap, and values
// that must parse into real types. Every refusal names the variable and never echoes its value.
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../functions/config.js";

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

describe("configuration variables", () => {
  it("takes PORT 0 (a free port) and refuses one above 65535 or not a number", () => {
    expect(loadConfig({ ...local, PORT: "0" }).port).toBe(0);
    expect(loadConfig({ ...local, PORT: " 8080 " }).port).toBe(8080);
    expect(problemsOf({ ...local, PORT: "70000" })).toEqual(["PORT must be at most 65535"]);
    expect(problemsOf({ ...local, PORT: "eighty" })).toEqual(["PORT must be a positive integer"]);
  });

  it("refuses a retry delay over 12 h, which SQS could not wait, and reads a valid schedule in ms", () => {
    expect(problemsOf({ ...local, DELIVERY_RETRY_SCHEDULE: "5s,13h" })).toEqual([
      "DELIVERY_RETRY_SCHEDULE entries must be at most 12h (the SQS visibility limit)",
    ]);
    expect(loadConfig({ ...local, DELIVERY_RETRY_SCHEDULE: "250ms, 2m,12h" }).deliveryRetryScheduleMs).toEqual([
      250, 120_000, 43_200_000,
    ]);
  });

  it("parses URLs and booleans into real types, and refuses a bad endpoint without echoing it", () => {
    const config = loadConfig({
      ...local,
      DYNAMODB_ENDPOINT: "http://127.0.0.1:8000",
      CHATWOOT_WEBHOOK_ALLOW_UNSIGNED: "false",
      CONVERSATION_AFTER_RESOLVED: "reopen",
    });
    expect([
      config.dynamodbEndpoint?.href,
      config.chatwootWebhookAllowUnsigned,
      config.conversationAfterResolved,
    ]).toEqual(["http://127.0.0.1:8000/", false, "reopen"]);
    const problems = problemsOf({ ...local, DYNAMODB_ENDPOINT: "mailto:secret-endpoint@example.com" });
    expect(problems).toEqual(["DYNAMODB_ENDPOINT must be an http(s) URL"]);
    expect(problems.join(" ")).not.toContain("secret-endpoint");
  });

  it("refuses a short bridge API key even where it is not required", () => {
    expect(
      problemsOf({
        BRIDGE_RUNTIME: "aws",
        BRIDGE_LINKS: "MappingTable",
        CHATWOOT_BASE_URL: "https://c.example.com",
        CHATWOOT_ACCOUNT_ID: "3",
        CHATWOOT_INBOX_ID: "12",
        DELIVERY_URL: "https://r.example.com",
        BRIDGE_API_KEY: "short",
      }),
    ).toEqual(["BRIDGE_API_KEY must be at least 16 characters"]);
  });
});
