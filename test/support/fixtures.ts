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
