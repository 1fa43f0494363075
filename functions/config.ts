// loadConfig(): the only reader of configuration (spec §2). One frozen Config, or one ConfigError naming every bad variable.
import {
  afterResolved,
  apiKeys,
  bool,
  DEFAULT_INBOUND_RETRY_WINDOW_MS,
  DEFAULT_RETRY_SCHEDULE_MS,
  duration,
  hostNames,
  httpUrl,
  list,
  port,
  positiveInt,
  retrySchedule,
  retryWindow,
  text,
  VariableReader,
  whsec,
} from "./config-variables.js";

import type { AfterResolvedPolicy, ConfigSource } from "./config-variables.js";
import { CHATWOOT_ROUTE_TIMEOUT_SECONDS, INVOCATION_RESERVE_MS, MAX_CHATWOOT_TIMEOUT_MS } from "./time-budget.js";

export type { AfterResolvedPolicy, ConfigSource } from "./config-variables.js";
export { DEFAULT_RETRY_SCHEDULE, parseDurationMs, parseWebhookSecret } from "./config-variables.js";

export type Runtime = "aws" | "local";

export interface Config {
  runtime: Runtime;
  /** Unset locally = the built-in Chatwoot sandbox (the local starter fills it in). */
  chatwootBaseUrl: URL | undefined;
  chatwootAccountId: number;
  chatwootInboxId: number;
  chatwootApiToken: string;
  chatwootWebhookSecret: string | undefined;
  chatwootWebhookAllowUnsigned: boolean;
  /** Every accepted bearer key (BRIDGE_API_KEY, comma-separated); empty where the function is not linked to it. */
  bridgeApiKeys: readonly string[];
  deliveryUrl: URL | undefined;
  /** The raw secret bytes of `whsec_…`. */
  deliverySecret: Uint8Array | undefined;
  deliveryRetryScheduleMs: number[];
  conversationAfterResolved: AfterResolvedPolicy;
  chatwootTimeoutMs: number;
  port: number;
  host: string;
  dataDir: string;
  dynamodbEndpoint: URL | undefined;
  tableName: string;
  queueUrl: string | undefined;
  /** The delivery worker sends what it gave up on here (docs/delivery.md). */
  deadLetterQueueUrl: string | undefined;
  /** The inbound queue of messages accepted with `Prefer: respond-async` (spec §3.3). */
  inboundQueueUrl: string | undefined;
  /** INBOUND_RETRY_WINDOW: how long such a message is retried before it is reported message.failed. */
  inboundRetryWindowMs: number;
  /** SWEEP_INTERVAL: how often the catch-up sweep runs (spec §7). */
  sweepIntervalMs: number;
  /** SWEEP_LOOKBACK: how far back the sweep asks Chatwoot for updated conversations. */
  sweepLookbackMs: number;
  /** Local only: hosts attachments may be downloaded from despite the range check, also over http (tests). */
  attachmentAllowHosts: readonly string[];
}

export class ConfigError extends Error {
  override readonly name = "ConfigError";
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.problems = problems;
  }
}

const KNOWN_PREFIXES = ["CHATWOOT_", "DELIVERY_", "BRIDGE_"];
const KNOWN = new Set([
  "CHATWOOT_BASE_URL",
  "CHATWOOT_ACCOUNT_ID",
  "CHATWOOT_INBOX_ID",
  "CHATWOOT_API_TOKEN",
  "CHATWOOT_WEBHOOK_SECRET",
  "CHATWOOT_WEBHOOK_ALLOW_UNSIGNED",
  "CHATWOOT_TIMEOUT_MS",
  "BRIDGE_API_KEY",
  "BRIDGE_RUNTIME",
  "BRIDGE_LINKS",
  "BRIDGE_TABLE_NAME",
  "BRIDGE_QUEUE_URL",
  "BRIDGE_DEAD_LETTER_QUEUE_URL",
  "BRIDGE_INBOUND_QUEUE_URL",
  "DELIVERY_URL",
  "DELIVERY_SECRET",
  "DELIVERY_RETRY_SCHEDULE",
  "BRIDGE_ATTACHMENT_ALLOW_HOSTS",
]);

/** Names the unknown bridge-looking variables, so a typo is seen at start. Never their values. */
export function unknownVariables(source: ConfigSource): string[] {
  return Object.keys(source).filter((key) => KNOWN_PREFIXES.some((p) => key.startsWith(p)) && !KNOWN.has(key));
}

/** CHATWOOT_TIMEOUT_MS's bound, with the arithmetic behind it (time-budget.ts), never the value given. */
function timeoutTooLong(): string {
  return (
    `CHATWOOT_TIMEOUT_MS must be at most ${MAX_CHATWOOT_TIMEOUT_MS}: a new user's first message makes 2 Chatwoot ` +
    `calls in turn, and both must fit the ${CHATWOOT_ROUTE_TIMEOUT_SECONDS} s timeout of the functions that call ` +
    `Chatwoot, ${INVOCATION_RESERVE_MS} ms kept to record the outcome`
  );
}

export function loadConfig(source: ConfigSource): Config {
  const env = new VariableReader(source);
  const problems = env.problems;
  const runtime: Runtime = env.text("BRIDGE_RUNTIME") === "aws" ? "aws" : "local";
  const aws = runtime === "aws";
  const inAws = (why: string): string | undefined => (aws ? why : undefined);
  // In AWS each function is linked to the resources its manifest entry uses, and only those (stacks/links.ts):
  // BRIDGE_LINKS names them, so a function requires exactly the secrets it was given.
  const linked = new Set(list(env.read("BRIDGE_LINKS", text, inAws("is required in AWS (set by the stack)")) ?? ""));
  const needs = (link: string): boolean => !aws || linked.has(link);
  const requiredIf = (condition: boolean, why = "is required"): string | undefined => (condition ? why : undefined);

  const baseUrl = env.read("CHATWOOT_BASE_URL", httpUrl, inAws("is required in AWS"));
  const accountId = env.read("CHATWOOT_ACCOUNT_ID", positiveInt, "is required") ?? 0;
  const inboxId = env.read("CHATWOOT_INBOX_ID", positiveInt, "is required") ?? 0;
  const apiToken = env.read("CHATWOOT_API_TOKEN", text, requiredIf(needs("ChatwootApiToken"))) ?? "";
  const allowUnsigned = env.read("CHATWOOT_WEBHOOK_ALLOW_UNSIGNED", bool) ?? false;
  const secretNeeded = needs("ChatwootWebhookSecret");
  const webhookSecret = env.read(
    "CHATWOOT_WEBHOOK_SECRET",
    text,
    requiredIf(secretNeeded && !allowUnsigned, "is required unless CHATWOOT_WEBHOOK_ALLOW_UNSIGNED=true"),
  );
  if (allowUnsigned && secretNeeded && webhookSecret === undefined)
    problems.push(
      "CHATWOOT_WEBHOOK_SECRET is required as the webhook URL's ?token= when unsigned webhooks are allowed",
    );
  const keyWhy = aws ? "is required in AWS" : "is required (the local starter generates one)";
  const bridgeApiKeys = env.read("BRIDGE_API_KEY", apiKeys, requiredIf(needs("BridgeApiKey"), keyWhy)) ?? [];

  const deliveryUrl = env.read("DELIVERY_URL", httpUrl, inAws("is required in AWS"));
  const deliverySecret = env.read(
    "DELIVERY_SECRET",
    whsec,
    requiredIf(deliveryUrl !== undefined && needs("DeliverySecret"), "is required when DELIVERY_URL is set"),
  );
  const scheduleMs = env.read("DELIVERY_RETRY_SCHEDULE", retrySchedule) ?? DEFAULT_RETRY_SCHEDULE_MS;
  const policy = env.read("CONVERSATION_AFTER_RESOLVED", afterResolved) ?? "new";
  const timeoutMs = env.read("CHATWOOT_TIMEOUT_MS", positiveInt) ?? 8000;
  if (timeoutMs > MAX_CHATWOOT_TIMEOUT_MS) problems.push(timeoutTooLong());
  const listenPort = env.read("PORT", port) ?? 3000;
  const dynamodbEndpoint = env.read("DYNAMODB_ENDPOINT", httpUrl);
  const queueUrl = env.read(
    "BRIDGE_QUEUE_URL",
    text,
    requiredIf(aws && needs("DeliveryQueue"), "is required in AWS (linked by the stack)"),
  );
  const deadLetterQueueUrl = env.read(
    "BRIDGE_DEAD_LETTER_QUEUE_URL",
    text,
    requiredIf(aws && needs("DeliveryDeadLetterQueue"), "is required in AWS (linked by the stack)"),
  );
  const inboundQueueUrl = env.read(
    "BRIDGE_INBOUND_QUEUE_URL",
    text,
    requiredIf(aws && needs("InboundQueue"), "is required in AWS (linked by the stack)"),
  );
  const inboundRetryWindowMs = env.read("INBOUND_RETRY_WINDOW", retryWindow) ?? DEFAULT_INBOUND_RETRY_WINDOW_MS;
  const sweep = readSweep(env);
  const allowHosts = list(env.text("BRIDGE_ATTACHMENT_ALLOW_HOSTS")?.toLowerCase() ?? "").filter((h) => h !== "");
  if (aws && allowHosts.length > 0) {
    problems.push(
      "BRIDGE_ATTACHMENT_ALLOW_HOSTS is for local development only: in AWS every attachment URL must pass the address check",
    );
  } else if (!hostNames.safeParse(allowHosts).success) {
    problems.push("BRIDGE_ATTACHMENT_ALLOW_HOSTS must be a comma-separated list of host names or IP addresses");
  }

  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze({
    runtime,
    chatwootBaseUrl: baseUrl,
    chatwootAccountId: accountId,
    chatwootInboxId: inboxId,
    chatwootApiToken: apiToken,
    chatwootWebhookSecret: webhookSecret,
    chatwootWebhookAllowUnsigned: allowUnsigned,
    bridgeApiKeys,
    deliveryUrl,
    deliverySecret,
    deliveryRetryScheduleMs: scheduleMs,
    conversationAfterResolved: policy,
    chatwootTimeoutMs: timeoutMs,
    port: listenPort,
    host: env.text("HOST") ?? "127.0.0.1",
    dataDir: env.text("DATA_DIR") ?? ".data",
    dynamodbEndpoint,
    tableName: env.text("BRIDGE_TABLE_NAME") ?? "chatwoot-bridge",
    queueUrl,
    deadLetterQueueUrl,
    inboundQueueUrl,
    inboundRetryWindowMs,
    attachmentAllowHosts: Object.freeze(allowHosts),
    ...sweep,
  });
}

/** EventBridge schedules run at most once a minute; Chatwoot's updated_within counts whole seconds. */
const MIN_SWEEP_INTERVAL_MS = 60_000;

/** SWEEP_INTERVAL and SWEEP_LOOKBACK (spec §2): a lookback shorter than the interval would leave gaps unswept. */
function readSweep(env: VariableReader): { sweepIntervalMs: number; sweepLookbackMs: number } {
  const sweepIntervalMs = env.read("SWEEP_INTERVAL", duration) ?? 5 * 60_000;
  const sweepLookbackMs = env.read("SWEEP_LOOKBACK", duration) ?? 2 * 3_600_000;
  if (sweepIntervalMs < MIN_SWEEP_INTERVAL_MS) env.problems.push("SWEEP_INTERVAL must be at least 1m");
  else if (sweepLookbackMs < sweepIntervalMs) env.problems.push("SWEEP_LOOKBACK must be at least SWEEP_INTERVAL");
  return { sweepIntervalMs, sweepLookbackMs };
}
