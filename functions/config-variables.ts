// The configuration variables' schemas, from trimmed text to typed value, each refusal a message that follows the
// variable's name; and the reader that collects every bad variable at once, by name and never by value.
import * as z from "zod/mini";

export type ConfigSource = Record<string, string | undefined>;

export const DEFAULT_RETRY_SCHEDULE = "5s,30s,2m,10m,30m,1h,2h,4h,8h";
const WHSEC_FORMAT = "must be whsec_ followed by base64 of at least 24 bytes";
const SCHEDULE_FORMAT = "must be a comma-separated list of durations such as 5s,30s,2m,1h";
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
/** SQS can hide a message for at most 12 hours, and each retry waits by hiding it. */
const MAX_RETRY_DELAY_MS = 12 * 3_600_000;

/** "30s" → 30000. Undefined when malformed: a typo must not fall back to a default. */
export function parseDurationMs(text: string): number | undefined {
  const match = /^(\d+)(ms|s|m|h)$/.exec(text.trim());
  if (!match?.[1] || !match[2]) return undefined;
  const unit = UNIT_MS[match[2]];
  return unit === undefined ? undefined : Number(match[1]) * unit;
}

export const positiveInt = z
  .pipe(z.string().check(z.regex(/^\d+$/, "must be a positive integer")), z.transform(Number))
  .check(z.refine((n) => n > 0 && Number.isSafeInteger(n), "must be a positive integer"));
/** "0" asks the OS for a free port (tests). */
export const port = z
  .pipe(
    z.string().check(z.refine((t) => t === "0" || positiveInt.safeParse(t).success, "must be a positive integer")),
    z.transform(Number),
  )
  .check(z.maximum(65535, "must be at most 65535"));
/** Credentials in a URL (user:password@) are refused: fetch will not send them, and they would be printed with it. */
export const httpUrl = z
  .pipe(
    z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }),
    z.transform((text) => new URL(text)),
  )
  .check(
    z.refine(
      (url) => url.username === "" && url.password === "",
      "must not contain credentials (user:password@): tokens go in their own variables",
    ),
  );
export const bool = z.pipe(
  z.enum(["true", "false"], "must be true or false"),
  z.transform((text) => text === "true"),
);
export const AFTER_RESOLVED_POLICIES = ["new", "reopen"] as const;
export type AfterResolvedPolicy = (typeof AFTER_RESOLVED_POLICIES)[number];
export const afterResolved = z.enum(AFTER_RESOLVED_POLICIES, "must be new or reopen");
/** One key, or several comma-separated (spec §2: rotation without a moment of 401s); never shown. */
export const apiKeys = z.pipe(
  z.string().check(
    z.refine((t) => list(t).length > 1 || t.length >= 16, "must be at least 16 characters"),
    z.refine(
      (t) => list(t).every((key) => key.length >= 16),
      "keys must each be at least 16 characters (comma-separated; an empty entry is a key too)",
    ),
  ),
  z.transform((t): readonly string[] => Object.freeze(list(t))),
);
export const whsec = z.pipe(
  z.string().check(z.refine((text) => parseWebhookSecret(text) !== undefined, WHSEC_FORMAT)),
  z.transform((text) => parseWebhookSecret(text) ?? new Uint8Array()),
);
export const list = (text: string): string[] => text.split(",").map((item) => item.trim());
/** Every entry a duration, or the whole list is refused: a typo must not shorten the schedule. */
export const retrySchedule = z
  .pipe(
    z.string().check(z.refine((t) => list(t).every((d) => parseDurationMs(d) !== undefined), SCHEDULE_FORMAT)),
    z.transform((t) => list(t).map((d) => parseDurationMs(d) ?? 0)),
  )
  .check(
    z.refine(
      (ms) => ms.every((d) => d <= MAX_RETRY_DELAY_MS),
      "entries must be at most 12h (the SQS visibility limit)",
    ),
  );
/**
 * INBOUND_RETRY_WINDOW: how long an accepted message keeps being retried. At most 72h: the inbound queue redrives after
 * SQS's 1,000 receives, and retries come every 5 minutes at most (core/accepted-posting.ts), 83 hours in all.
 */
export const retryWindow = z
  .pipe(
    z.string().check(z.refine((t) => parseDurationMs(t) !== undefined, "must be a duration such as 30m or 24h")),
    z.transform((t) => parseDurationMs(t) ?? 0),
  )
  .check(z.refine((ms) => ms >= 60_000 && ms <= 72 * 3_600_000, "must be from 1m to 72h"));
export const DEFAULT_INBOUND_RETRY_WINDOW_MS = 24 * 3_600_000;
/** A duration such as 5m or 2h (spec §2's SWEEP_INTERVAL, SWEEP_LOOKBACK), in ms. */
export const duration = z.pipe(
  z.string().check(z.refine((t) => parseDurationMs(t) !== undefined, "must be a duration such as 5m or 2h")),
  z.transform((t) => parseDurationMs(t) ?? 0),
);
export const hostNames = z.array(z.string().check(z.regex(/^[a-z0-9.:[\]-]+$/)));
export const text = z.string();
export const DEFAULT_RETRY_SCHEDULE_MS = retrySchedule.parse(DEFAULT_RETRY_SCHEDULE);

/** Reads variables through their schemas, collecting one problem per bad variable, by name and never by value. */
export class VariableReader {
  readonly problems: string[] = [];
  constructor(private readonly source: ConfigSource) {}

  text(name: string): string | undefined {
    const value = this.source[name]?.trim();
    return value === "" ? undefined : value;
  }

  /** The parsed value; undefined when unset (a problem when `required` says why) or malformed (a problem). */
  read<T extends z.ZodMiniType>(name: string, schema: T, required?: string): z.output<T> | undefined {
    const value = this.text(name);
    if (value === undefined) {
      if (required !== undefined) this.problems.push(`${name} ${required}`);
      return undefined;
    }
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data;
    this.problems.push(`${name} ${parsed.error.issues[0]?.message ?? "is malformed"}`);
    return undefined;
  }
}

/** `whsec_<base64>` → secret bytes (Standard Webhooks), or undefined when malformed or under 24 bytes. */
export function parseWebhookSecret(text: string): Uint8Array | undefined {
  if (!text.startsWith("whsec_")) return undefined;
  const b64 = text.slice("whsec_".length);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) return undefined;
  const bytes = Buffer.from(b64, "base64");
  return bytes.length >= 24 ? new Uint8Array(bytes) : undefined;
}
