// Reading a mocked stack run: resources by type and name, Pulumi's secret wrappers removed, IAM policies
// parsed, and the deploy inputs (shell variables, secrets) the tests start from.
import { isRecord } from "./fake-cli.js";
import type { StackRun } from "./stack-run.js";
import type { RecordedResource } from "./mock-runner.js";

/** The deploying shell of a typical install (placeholders, example.com). */
export const DEPLOY_ENV: Record<string, string> = {
  CHATWOOT_BASE_URL: "https://chatwoot.example.com",
  CHATWOOT_ACCOUNT_ID: "1",
  CHATWOOT_INBOX_ID: "12",
  DELIVERY_URL: "https://receiver.example.com/chatwoot-replies",
};

/** `sst secret set` values: well-formed placeholders. */
export const SECRETS: Record<string, string> = {
  ChatwootApiToken: "placeholder-user-access-token",
  ChatwootWebhookSecret: "placeholder-inbox-secret",
  BridgeApiKey: "placeholder-bridge-api-key-0123456789",
  DeliverySecret: `whsec_${Buffer.alloc(32, 7).toString("base64")}`,
};

/** The typical install's deploy: most infra files read this one run. */
export const TYPICAL_DEPLOY = { env: DEPLOY_ENV, secrets: SECRETS };

/** Pulumi marks secret values as { <signature>: <secret marker>, value }. */
const SECRET_SIGNATURE = "4dabf18193072939515e22adb298388d";

export function unsecret(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unsecret);
  if (!isRecord(value)) return value;
  if (SECRET_SIGNATURE in value) return unsecret(value.value);
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, unsecret(inner)]));
}

export function resourcesOf(run: StackRun, type: string): RecordedResource[] {
  return run.resources.filter((resource) => resource.type === type);
}

/** The one resource of `type` named `name`, with its inputs unwrapped; throws when absent, so tests fail clearly. */
export function resource(run: StackRun, type: string, name: string): Record<string, unknown> {
  const found = run.resources.find((r) => r.type === type && r.name === name);
  if (!found) throw new Error(`No ${type} named ${name} was registered`);
  const inputs = unsecret(found.inputs);
  return isRecord(inputs) ? inputs : {};
}

export function field(value: unknown, ...path: string[]): unknown {
  return path.reduce<unknown>((current, key) => (isRecord(current) ? current[key] : undefined), value);
}

export function text(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

export interface PolicyStatement {
  effect: string;
  actions: string[];
  resources: string[];
}

/** The statements of a function role's inline policy (SST builds it from `link` and `permissions`). */
export function roleStatements(run: StackRun, functionName: string): PolicyStatement[] {
  const role = resource(run, "aws:iam/role:Role", `${functionName}Role`);
  const policies = Array.isArray(role.inlinePolicies) ? role.inlinePolicies : [];
  return policies.flatMap((policy) => {
    const document: unknown = JSON.parse(text(field(policy, "policy")));
    const statements = field(document, "Statement");
    return Array.isArray(statements)
      ? statements.map((s) => ({
          effect: text(field(s, "effect")),
          actions: strings(field(s, "actions")),
          resources: strings(field(s, "resources")),
        }))
      : [];
  });
}

export function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.map(text) : [];
}
