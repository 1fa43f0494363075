// What the deploying shell decides: spec §2's non-secret variables (passed to every function) and the DEPLOY_*
// switches. Checked by the Lambdas' own loadConfig, so a bad value stops `sst deploy` instead of every cold start.
// Pure: no SST globals, so unit tests import it directly.
import { ConfigError, loadConfig, type Config, type ConfigSource } from "../functions/config.js";

/** Spec §2's non-secret variables; the secret ones are sst.Secret values (stacks/secrets.ts). */
export const FUNCTION_VARIABLES = [
  "CHATWOOT_BASE_URL",
  "CHATWOOT_ACCOUNT_ID",
  "CHATWOOT_INBOX_ID",
  "CHATWOOT_WEBHOOK_ALLOW_UNSIGNED",
  "CHATWOOT_TIMEOUT_MS",
  "DELIVERY_URL",
  "DELIVERY_RETRY_SCHEDULE",
  "CONVERSATION_AFTER_RESOLVED",
  "SWEEP_INTERVAL",
  "SWEEP_LOOKBACK",
  "INBOUND_RETRY_WINDOW",
] as const;

/** CloudWatch Logs' retention choices, as SST names them (`logging.retention` of sst.aws.Function). */
export const LOG_RETENTIONS = [
  "1 day",
  "3 days",
  "5 days",
  "1 week",
  "2 weeks",
  "1 month",
  "2 months",
  "3 months",
  "6 months",
  "1 year",
  "13 months",
  "18 months",
  "2 years",
  "5 years",
  "10 years",
  "forever",
] as const;
export type LogRetention = (typeof LOG_RETENTIONS)[number];
/** A month of logs: enough to follow a user's messages back through a support case, not a store of conversations. */
export const DEFAULT_LOG_RETENTION: LogRetention = "1 month";

export interface DeploySettings {
  /** Exactly what every function gets as environment: the variables set in the shell, plus BRIDGE_RUNTIME=aws. */
  environment: Record<string, string>;
  retryScheduleMs: number[];
  chatwootTimeoutMs: number;
  allowUnsigned: boolean;
  /** DEPLOY_ALARM_EMAIL: subscribed to the dead-letter alarm (AWS sends a confirmation mail first). */
  alarmEmail: string | undefined;
  /** SWEEP_INTERVAL: the catch-up sweep's schedule (spec §7). */
  sweepIntervalMs: number;
  /** DEPLOY_LOG_RETENTION: how long every function's log group keeps lines (default 1 month). */
  logRetention: LogRetention;
}

export class DeploySettingsError extends Error {
  override readonly name = "DeploySettingsError";
  readonly problems: string[];
  constructor(problems: string[], where: string) {
    super(
      `chatwoot-bridge cannot deploy; fix ${where} (README: Deploying to AWS):\n${problems.map((p) => `  - ${p}`).join("\n")}`,
    );
    this.problems = problems;
  }
}

/** Secrets are checked separately (checkSecretValues); these stand in for them so only the shell's values are judged. */
const PLACEHOLDER_SECRETS: ConfigSource = {
  CHATWOOT_API_TOKEN: "placeholder",
  CHATWOOT_WEBHOOK_SECRET: "placeholder",
  BRIDGE_API_KEY: "placeholder-placeholder",
  DELIVERY_SECRET: `whsec_${Buffer.alloc(24).toString("base64")}`,
  BRIDGE_QUEUE_URL: "linked-by-the-stack",
  // Every link, so every requirement is judged here once rather than per function at cold start.
  BRIDGE_LINKS: "MappingTable,DeliveryQueue,ChatwootApiToken,ChatwootWebhookSecret,BridgeApiKey,DeliverySecret",
};

export function readDeploySettings(env: ConfigSource): DeploySettings {
  const environment: Record<string, string> = { BRIDGE_RUNTIME: "aws" };
  for (const name of FUNCTION_VARIABLES) {
    const value = env[name]?.trim();
    if (value) environment[name] = value;
  }
  const problems: string[] = [];
  const config = tryLoad({ ...environment, ...PLACEHOLDER_SECRETS }, problems);
  const alarmEmail = env.DEPLOY_ALARM_EMAIL?.trim() || undefined;
  if (alarmEmail !== undefined && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(alarmEmail))
    problems.push("DEPLOY_ALARM_EMAIL must be an email address");
  const retention = env.DEPLOY_LOG_RETENTION?.trim() || DEFAULT_LOG_RETENTION;
  const logRetention = LOG_RETENTIONS.find((choice) => choice === retention);
  if (logRetention === undefined) problems.push(`DEPLOY_LOG_RETENTION must be one of: ${LOG_RETENTIONS.join(", ")}`);
  if (!config || logRetention === undefined || problems.length > 0)
    throw new DeploySettingsError(problems, "these variables in the deploying shell");
  return {
    environment,
    retryScheduleMs: config.deliveryRetryScheduleMs,
    chatwootTimeoutMs: config.chatwootTimeoutMs,
    allowUnsigned: config.chatwootWebhookAllowUnsigned,
    alarmEmail,
    sweepIntervalMs: config.sweepIntervalMs,
    logRetention,
  };
}

export interface SecretValues {
  chatwootApiToken: string;
  chatwootWebhookSecret: string;
  bridgeApiKey: string;
  deliverySecret: string;
}

/** Runs at deploy time on the real secret values; problems name the variable, never its value. */
export function checkSecretValues(settings: DeploySettings, secrets: SecretValues): void {
  const problems: string[] = [];
  tryLoad(
    {
      ...settings.environment,
      CHATWOOT_API_TOKEN: secrets.chatwootApiToken,
      CHATWOOT_WEBHOOK_SECRET: secrets.chatwootWebhookSecret,
      BRIDGE_API_KEY: secrets.bridgeApiKey,
      DELIVERY_SECRET: secrets.deliverySecret,
      BRIDGE_QUEUE_URL: PLACEHOLDER_SECRETS.BRIDGE_QUEUE_URL,
      BRIDGE_LINKS: PLACEHOLDER_SECRETS.BRIDGE_LINKS,
    },
    problems,
  );
  if (problems.length > 0)
    throw new DeploySettingsError(problems.map(secretName), "these secrets with `npx sst secret set`");
}

/** loadConfig speaks of spec §2 names; secrets are set under their SST names. */
function secretName(problem: string): string {
  return problem
    .replace(/^CHATWOOT_API_TOKEN\b/, "ChatwootApiToken (CHATWOOT_API_TOKEN)")
    .replace(/^CHATWOOT_WEBHOOK_SECRET\b/, "ChatwootWebhookSecret (CHATWOOT_WEBHOOK_SECRET)")
    .replace(/^BRIDGE_API_KEY\b/, "BridgeApiKey (BRIDGE_API_KEY)")
    .replace(/^DELIVERY_SECRET\b/, "DeliverySecret (DELIVERY_SECRET)");
}

function tryLoad(source: ConfigSource, problems: string[]): Config | undefined {
  try {
    return loadConfig(source);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.problems);
    return undefined;
  }
}
