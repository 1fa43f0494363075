// loadConfig(): the only reader of configuration (spec §2). One frozen Config, or one ConfigError naming every bad variable.

export type Runtime = "aws" | "local";
export type AfterResolvedPolicy = "new" | "reopen";

export interface Config {
  runtime: Runtime;
  /** Unset locally = the built-in Chatwoot sandbox (the local starter fills it in). */
  chatwootBaseUrl: URL | undefined;
  chatwootAccountId: number;
  chatwootInboxId: number;
  chatwootApiToken: string;
  chatwootWebhookSecret: string | undefined;
  chatwootWebhookAllowUnsigned: boolean;
  bridgeApiKey: string;
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
  /** Local only: hosts attachments may be downloaded from despite the range check, also over http (tests). */
  attachmentAllowHosts: readonly string[];
}

export type ConfigSource = Record<string, string | undefined>;

export class ConfigError extends Error {
  override readonly name = "ConfigError";
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.problems = problems;
  }
}

export const DEFAULT_RETRY_SCHEDULE = "5s,30s,2m,10m,30m,1h,2h,4h,8h";
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
  "DELIVERY_URL",
  "DELIVERY_SECRET",
  "DELIVERY_RETRY_SCHEDULE",
  "BRIDGE_ATTACHMENT_ALLOW_HOSTS",
]);

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** "30s" → 30000. Undefined when malformed: a typo must not fall back to a default. */
export function parseDurationMs(text: string): number | undefined {
  const match = /^(\d+)(ms|s|m|h)$/.exec(text.trim());
  if (!match?.[1] || !match[2]) return undefined;
  const unit = UNIT_MS[match[2]];
  return unit === undefined ? undefined : Number(match[1]) * unit;
}

/** Names the unknown bridge-looking variables, so a typo is seen at start. Never their values. */
export function unknownVariables(source: ConfigSource): string[] {
  return Object.keys(source).filter((key) => KNOWN_PREFIXES.some((p) => key.startsWith(p)) && !KNOWN.has(key));
}

export function loadConfig(source: ConfigSource): Config {
  const problems: string[] = [];
  const read = (name: string): string | undefined => {
    const value = source[name]?.trim();
    return value === "" ? undefined : value;
  };
  const runtime: Runtime = read("BRIDGE_RUNTIME") === "aws" ? "aws" : "local";
  /** Undefined (reported once, here) when missing, so later parsers do not report it again. */
  const required = (name: string, why = "is required"): string | undefined => {
    const value = read(name);
    if (value === undefined) problems.push(`${name} ${why}`);
    return value;
  };
  const url = (name: string, value: string | undefined): URL | undefined => {
    if (value === undefined) return undefined;
    try {
      const parsed = new URL(value);
      if (parsed.protocol === "http:" || parsed.protocol === "https:") return parsed;
    } catch {
      // reported below
    }
    problems.push(`${name} must be an http(s) URL`);
    return undefined;
  };
  const positiveInt = (name: string, value: string | undefined, fallback?: number): number => {
    if (value === undefined) return fallback ?? 0;
    if (/^\d+$/.test(value) && Number(value) > 0 && Number.isSafeInteger(Number(value))) return Number(value);
    problems.push(`${name} must be a positive integer`);
    return 0;
  };
  const bool = (name: string): boolean => {
    const value = read(name);
    if (value === undefined || value === "false") return false;
    if (value === "true") return true;
    problems.push(`${name} must be true or false`);
    return false;
  };

  const aws = runtime === "aws";
  // In AWS each function is linked to the resources its manifest entry uses, and only those (stacks/links.ts):
  // BRIDGE_LINKS names them, so a function requires exactly the secrets it was given.
  const linked = new Set((read("BRIDGE_LINKS") ?? "").split(",").map((name) => name.trim()));
  if (aws && read("BRIDGE_LINKS") === undefined) problems.push("BRIDGE_LINKS is required in AWS (set by the stack)");
  const needs = (link: string): boolean => !aws || linked.has(link);
  const baseUrl = url(
    "CHATWOOT_BASE_URL",
    aws ? required("CHATWOOT_BASE_URL", "is required in AWS") : read("CHATWOOT_BASE_URL"),
  );
  const accountId = positiveInt("CHATWOOT_ACCOUNT_ID", required("CHATWOOT_ACCOUNT_ID"));
  const inboxId = positiveInt("CHATWOOT_INBOX_ID", required("CHATWOOT_INBOX_ID"));
  const apiToken = (needs("ChatwootApiToken") ? required("CHATWOOT_API_TOKEN") : read("CHATWOOT_API_TOKEN")) ?? "";
  const allowUnsigned = bool("CHATWOOT_WEBHOOK_ALLOW_UNSIGNED");
  const webhookSecret =
    allowUnsigned || !needs("ChatwootWebhookSecret")
      ? read("CHATWOOT_WEBHOOK_SECRET")
      : required("CHATWOOT_WEBHOOK_SECRET", "is required unless CHATWOOT_WEBHOOK_ALLOW_UNSIGNED=true");
  if (allowUnsigned && needs("ChatwootWebhookSecret") && webhookSecret === undefined)
    problems.push(
      "CHATWOOT_WEBHOOK_SECRET is required as the webhook URL's ?token= when unsigned webhooks are allowed",
    );
  const bridgeApiKey =
    (!needs("BridgeApiKey")
      ? read("BRIDGE_API_KEY")
      : required("BRIDGE_API_KEY", aws ? "is required in AWS" : "is required (the local starter generates one)")) ?? "";
  if (bridgeApiKey && bridgeApiKey.length < 16) problems.push("BRIDGE_API_KEY must be at least 16 characters");

  const deliveryUrl = url("DELIVERY_URL", aws ? required("DELIVERY_URL", "is required in AWS") : read("DELIVERY_URL"));
  const deliverySecretText = read("DELIVERY_SECRET");
  let deliverySecret: Uint8Array | undefined;
  if (deliverySecretText === undefined) {
    if (deliveryUrl && needs("DeliverySecret")) problems.push("DELIVERY_SECRET is required when DELIVERY_URL is set");
  } else {
    deliverySecret = parseWebhookSecret(deliverySecretText);
    if (!deliverySecret) problems.push("DELIVERY_SECRET must be whsec_ followed by base64 of at least 24 bytes");
  }

  const schedule = (read("DELIVERY_RETRY_SCHEDULE") ?? DEFAULT_RETRY_SCHEDULE)
    .split(",")
    .map((s) => parseDurationMs(s));
  const scheduleMs = schedule.filter((n): n is number => n !== undefined);
  if (scheduleMs.length !== schedule.length || scheduleMs.length === 0) {
    problems.push("DELIVERY_RETRY_SCHEDULE must be a comma-separated list of durations such as 5s,30s,2m,1h");
  } else if (scheduleMs.some((ms) => ms > 12 * 3_600_000)) {
    problems.push("DELIVERY_RETRY_SCHEDULE entries must be at most 12h (the SQS visibility limit)");
  }

  const policy = read("CONVERSATION_AFTER_RESOLVED") ?? "new";
  if (policy !== "new" && policy !== "reopen") problems.push("CONVERSATION_AFTER_RESOLVED must be new or reopen");

  const timeoutMs = positiveInt("CHATWOOT_TIMEOUT_MS", read("CHATWOOT_TIMEOUT_MS"), 8000);
  const port = read("PORT") === "0" ? 0 : positiveInt("PORT", read("PORT"), 3000);
  if (port > 65535) problems.push("PORT must be at most 65535");
  const dynamodbEndpoint = url("DYNAMODB_ENDPOINT", read("DYNAMODB_ENDPOINT"));
  const queueUrl =
    aws && needs("DeliveryQueue")
      ? required("BRIDGE_QUEUE_URL", "is required in AWS (linked by the stack)")
      : read("BRIDGE_QUEUE_URL");

  const allowHosts = (read("BRIDGE_ATTACHMENT_ALLOW_HOSTS") ?? "")
    .split(",")
    .map((h) => h.trim().toLowerCase())
    .filter((h) => h !== "");
  if (aws && allowHosts.length > 0) {
    problems.push(
      "BRIDGE_ATTACHMENT_ALLOW_HOSTS is for local development only: in AWS every attachment URL must pass the address check",
    );
  } else if (allowHosts.some((h) => !/^[a-z0-9.:[\]-]+$/.test(h))) {
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
    bridgeApiKey,
    deliveryUrl,
    deliverySecret,
    deliveryRetryScheduleMs: scheduleMs,
    conversationAfterResolved: policy === "reopen" ? "reopen" : "new",
    chatwootTimeoutMs: timeoutMs,
    port,
    host: read("HOST") ?? "127.0.0.1",
    dataDir: read("DATA_DIR") ?? ".data",
    dynamodbEndpoint,
    tableName: read("BRIDGE_TABLE_NAME") ?? "chatwoot-bridge",
    queueUrl,
    attachmentAllowHosts: Object.freeze(allowHosts),
  });
}

/** `whsec_<base64>` → secret bytes (Standard Webhooks), or undefined when malformed or under 24 bytes. */
export function parseWebhookSecret(text: string): Uint8Array | undefined {
  if (!text.startsWith("whsec_")) return undefined;
  const b64 = text.slice("whsec_".length);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) return undefined;
  const bytes = Buffer.from(b64, "base64");
  return bytes.length >= 24 ? new Uint8Array(bytes) : undefined;
}
