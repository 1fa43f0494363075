// INBOUND_RETRY_WINDOW and the inbound queue's URL (spec §2, §3.3 `Prefer: respond-async`).
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

describe("INBOUND_RETRY_WINDOW", () => {
  it("defaults to 24h and reads a duration", () => {
    expect(loadConfig(local).inboundRetryWindowMs).toBe(86_400_000);
    expect(loadConfig({ ...local, INBOUND_RETRY_WINDOW: "90m" }).inboundRetryWindowMs).toBe(5_400_000);
  });

  it.each([
    ["soon", "INBOUND_RETRY_WINDOW must be a duration such as 30m or 24h"],
    ["59s", "INBOUND_RETRY_WINDOW must be from 1m to 72h"],
    ["73h", "INBOUND_RETRY_WINDOW must be from 1m to 72h"],
  ])("refuses %s, naming the variable and the limit", (value, problem) => {
    expect(problemsOf({ ...local, INBOUND_RETRY_WINDOW: value })).toEqual([problem]);
  });
});

describe("BRIDGE_INBOUND_QUEUE_URL", () => {
  const aws = {
    ...local,
    BRIDGE_RUNTIME: "aws",
    CHATWOOT_BASE_URL: "https://chatwoot.example.com",
    DELIVERY_URL: "https://receiver.example.com/hook",
  };

  it("is required in AWS only of a function linked to the inbound queue", () => {
    expect(problemsOf({ ...aws, BRIDGE_LINKS: "MappingTable,InboundQueue" })).toEqual([
      "BRIDGE_INBOUND_QUEUE_URL is required in AWS (linked by the stack)",
    ]);
    expect(problemsOf({ ...aws, BRIDGE_LINKS: "MappingTable" })).toEqual([]);
    const url = "https://sqs.eu-central-1.amazonaws.com/123456789012/inbound.fifo";
    const config = loadConfig({ ...aws, BRIDGE_LINKS: "InboundQueue", BRIDGE_INBOUND_QUEUE_URL: url });
    expect(config.inboundQueueUrl).toBe(url);
  });
});
