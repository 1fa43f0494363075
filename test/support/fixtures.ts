// The shared Chatwoot webhook examples, read as files (never retyped).
import { readFileSync } from "node:fs";
import { sharedFile } from "./shared-dir.js";

const DIR = sharedFile("chatwoot/webhooks/");

export function webhookFixtureText(name: string): string {
  return readFileSync(new URL(name, DIR), "utf8");
}

export function webhookFixture(name: string): Record<string, unknown> {
  const parsed: unknown = JSON.parse(webhookFixtureText(name));
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    throw new Error(`${name} is not an object`);
  return { ...parsed };
}

/** The example re-addressed to a bridge's own account and inbox (the examples name account 3 and inbox 12). */
export function webhookFixtureFor(
  name: string,
  scope: { accountId: number; inboxId: number },
): Record<string, unknown> {
  const readdress = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(readdress);
    if (typeof value !== "object" || value === null) return value;
    const entries = Object.entries(value).map(([key, field]): [string, unknown] => {
      if (key === "inbox_id") return [key, scope.inboxId];
      if (key === "account_id") return [key, scope.accountId];
      if (key === "inbox" || key === "account") {
        const id = key === "inbox" ? scope.inboxId : scope.accountId;
        return [key, typeof field === "object" && field !== null ? { ...field, id } : field];
      }
      return [key, readdress(field)];
    });
    return Object.fromEntries(entries);
  };
  return { ...(readdress(webhookFixture(name)) as Record<string, unknown>) };
}
