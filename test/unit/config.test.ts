import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig, parseDurationMs, unknownVariables } from "../../functions/config.js";

const secret = `whsec_${Buffer.alloc(32, 7).toString("base64")}`;
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

describe("loadConfig", () => {
  it("parses a complete local configuration into real types with the spec's defaults", () => {
    const config = loadConfig({ ...local, DELIVERY_URL: "https://receiver.example.com/hook", DELIVERY_SECRET: secret });
    expect(config.chatwootAccountId).toBe(3);
    expect(config.chatwootInboxId).toBe(12);
    expect(config.deliveryUrl?.href).toBe("https://receiver.example.com/hook");
    expect(config.deliverySecret).toEqual(new Uint8Array(Buffer.alloc(32, 7)));
    expect(config.deliveryRetryScheduleMs).toEqual([
      5_000, 30_000, 120_000, 600_000, 1_800_000, 3_600_000, 7_200_000, 14_400_000, 28_800_000,
    ]);
    expect(config.conversationAfterResolved).toBe("new");
    expect(config.chatwootTimeoutMs).toBe(8000);
    expect(config.port).toBe(3000);
    expect(config.host).toBe("127.0.0.1");
    expect(config.dataDir).toBe(".data");
    expect(Object.isFrozen(config)).toBe(true);
  });

  it("names every missing or malformed variable at once, and never a value", () => {
    const problems = problemsOf({
      CHATWOOT_ACCOUNT_ID: "three",
      CHATWOOT_API_TOKEN: "super-secret-token",
      DELIVERY_URL: "ftp://x",
      DELIVERY_RETRY_SCHEDULE: "5s,soon",
      CONVERSATION_AFTER_RESOLVED: "later",
      CHATWOOT_TIMEOUT_MS: "-1",
    });
    expect(problems).toEqual([
      "CHATWOOT_ACCOUNT_ID must be a positive integer",
      "CHATWOOT_INBOX_ID is required",
      "CHATWOOT_WEBHOOK_SECRET is required unless CHATWOOT_WEBHOOK_ALLOW_UNSIGNED=true",
      "BRIDGE_API_KEY is required (the local starter generates one)",
      "DELIVERY_URL must be an http(s) URL",
      "DELIVERY_RETRY_SCHEDULE must be a comma-separated list of durations such as 5s,30s,2m,1h",
      "CONVERSATION_AFTER_RESOLVED must be new or reopen",
      "CHATWOOT_TIMEOUT_MS must be a positive integer",
    ]);
    expect(problems.join(" ")).not.toContain("super-secret-token");
  });

  const ALL_LINKS = "MappingTable,DeliveryQueue,ChatwootApiToken,ChatwootWebhookSecret,BridgeApiKey,DeliverySecret";

  it("requires the AWS-only variables when running in AWS", () => {
    const problems = problemsOf({ ...local, BRIDGE_RUNTIME: "aws", BRIDGE_LINKS: ALL_LINKS });
    expect(problems).toEqual([
      "CHATWOOT_BASE_URL is required in AWS",
      "DELIVERY_URL is required in AWS",
      "BRIDGE_QUEUE_URL is required in AWS (linked by the stack)",
    ]);
    expect(
      problemsOf({
        ...local,
        BRIDGE_RUNTIME: "aws",
        CHATWOOT_BASE_URL: "https://c.example.com",
        DELIVERY_URL: "https://r.example.com",
      }),
    ).toEqual(["BRIDGE_LINKS is required in AWS (set by the stack)"]);
  });

  it("requires in AWS only the secrets a function is linked to, so each function holds no more than it uses", () => {
    const shared = {
      BRIDGE_RUNTIME: "aws",
      CHATWOOT_BASE_URL: "https://c.example.com",
      CHATWOOT_ACCOUNT_ID: "3",
      CHATWOOT_INBOX_ID: "12",
      DELIVERY_URL: "https://r.example.com",
    };
    const health = loadConfig({ ...shared, BRIDGE_LINKS: "none" });
    expect([
      health.chatwootApiToken,
      health.bridgeApiKeys,
      health.chatwootWebhookSecret,
      health.deliverySecret,
      health.queueUrl,
    ]).toEqual(["", [], undefined, undefined, undefined]);
    expect(problemsOf({ ...shared, BRIDGE_LINKS: "MappingTable,ChatwootApiToken,BridgeApiKey" })).toEqual([
      "CHATWOOT_API_TOKEN is required",
      "BRIDGE_API_KEY is required in AWS",
    ]);
    expect(
      problemsOf({
        ...shared,
        BRIDGE_LINKS: "MappingTable,DeliveryQueue,ChatwootApiToken,DeliverySecret",
        CHATWOOT_API_TOKEN: "t",
      }),
    ).toEqual([
      "DELIVERY_SECRET is required when DELIVERY_URL is set",
      "BRIDGE_QUEUE_URL is required in AWS (linked by the stack)",
    ]);
  });

  it("refuses a delivery secret that is not whsec_ plus at least 24 bytes of base64", () => {
    const short = `whsec_${Buffer.alloc(16).toString("base64")}`;
    expect(problemsOf({ ...local, DELIVERY_URL: "https://r.example.com", DELIVERY_SECRET: short })).toEqual([
      "DELIVERY_SECRET must be whsec_ followed by base64 of at least 24 bytes",
    ]);
    expect(problemsOf({ ...local, DELIVERY_URL: "https://r.example.com" })).toEqual([
      "DELIVERY_SECRET is required when DELIVERY_URL is set",
    ]);
  });

  it("allows unsigned webhooks only with the secret kept as the URL token", () => {
    expect(problemsOf({ ...local, CHATWOOT_WEBHOOK_SECRET: "", CHATWOOT_WEBHOOK_ALLOW_UNSIGNED: "true" })).toEqual([
      "CHATWOOT_WEBHOOK_SECRET is required as the webhook URL's ?token= when unsigned webhooks are allowed",
    ]);
    expect(loadConfig({ ...local, CHATWOOT_WEBHOOK_ALLOW_UNSIGNED: "true" }).chatwootWebhookAllowUnsigned).toBe(true);
    expect(problemsOf({ ...local, CHATWOOT_WEBHOOK_ALLOW_UNSIGNED: "yes" })).toEqual([
      "CHATWOOT_WEBHOOK_ALLOW_UNSIGNED must be true or false",
    ]);
  });

  it("reads the attachment allow-list locally (none by default) and refuses it in AWS, where every URL is checked", () => {
    expect(loadConfig(local).attachmentAllowHosts).toEqual([]);
    expect(
      loadConfig({ ...local, BRIDGE_ATTACHMENT_ALLOW_HOSTS: " 127.0.0.1, Files.Example.test ,[::1]," })
        .attachmentAllowHosts,
    ).toEqual(["127.0.0.1", "files.example.test", "[::1]"]);
    expect(problemsOf({ ...local, BRIDGE_ATTACHMENT_ALLOW_HOSTS: "127.0.0.1/8" })).toEqual([
      "BRIDGE_ATTACHMENT_ALLOW_HOSTS must be a comma-separated list of host names or IP addresses",
    ]);
    const aws = {
      ...local,
      BRIDGE_RUNTIME: "aws",
      BRIDGE_LINKS: "MappingTable",
      CHATWOOT_BASE_URL: "https://chat.example.com",
      DELIVERY_URL: "https://r.example.com",
      DELIVERY_SECRET: secret,
      BRIDGE_QUEUE_URL: "https://sqs.example.com/q.fifo",
    };
    expect(problemsOf({ ...aws, BRIDGE_ATTACHMENT_ALLOW_HOSTS: "127.0.0.1" })).toEqual([
      "BRIDGE_ATTACHMENT_ALLOW_HOSTS is for local development only: in AWS every attachment URL must pass the address check",
    ]);
    expect(problemsOf(aws)).toEqual([]);
  });
});

describe("durations and unknown variables", () => {
  it("parses ms, s, m and h and refuses anything else instead of falling back", () => {
    expect(["250ms", "5s", "2m", "1h"].map(parseDurationMs)).toEqual([250, 5000, 120_000, 3_600_000]);
    expect(["5", "5 s", "1d", "", "-5s"].map(parseDurationMs)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it("names a mistyped bridge variable so a typo is seen at start", () => {
    expect(unknownVariables({ CHATWOOT_INBOXID: "1", DELIVERY_URL: "x", HOME: "/root" })).toEqual(["CHATWOOT_INBOXID"]);
  });
});

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

  it("reads several comma-separated bridge API keys, each refused by position when short and never shown", () => {
    const two = loadConfig({ ...local, BRIDGE_API_KEY: "first-key-0123456789, second-key-0123456789" });
    expect(two.bridgeApiKeys).toEqual(["first-key-0123456789", "second-key-0123456789"]);
    const problems = problemsOf({ ...local, BRIDGE_API_KEY: "first-key-0123456789,tiny-secret" });
    expect(problems).toEqual([
      "BRIDGE_API_KEY keys must each be at least 16 characters (comma-separated; an empty entry is a key too)",
    ]);
    expect(problems.join(" ")).not.toContain("tiny-secret");
    expect(problemsOf({ ...local, BRIDGE_API_KEY: "first-key-0123456789," })).toHaveLength(1);
  });

  it("refuses credentials inside a URL at start, naming the variable and never the password", () => {
    const problems = problemsOf({
      ...local,
      CHATWOOT_BASE_URL: "https://bridge:pass-secret@chat.example.com",
      DELIVERY_URL: "https://u:other-secret@receiver.example.com/hook",
      DELIVERY_SECRET: secret,
    });
    expect(problems).toEqual([
      "CHATWOOT_BASE_URL must not contain credentials (user:password@): tokens go in their own variables",
      "DELIVERY_URL must not contain credentials (user:password@): tokens go in their own variables",
    ]);
    expect(problems.join(" ")).not.toMatch(/secret/);
  });
});

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
});
