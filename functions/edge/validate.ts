// Turns a schema failure into the spec's validation_failed error with field paths (never the values).
import type { z } from "zod/mini";
import { BridgeError, type ErrorDetail } from "../core/errors.js";

export function validate<T>(schema: z.ZodMiniType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const details: ErrorDetail[] = result.error.issues.map((issue) => ({
    path: issue.path.map(String).join(".") || "(body)",
    message: describeIssue(issue),
  }));
  const first = details[0];
  const message = first ? `${first.path}: ${first.message}` : "Invalid request body";
  throw new BridgeError("validation_failed", message, { details });
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === "invalid_type" && issue.input === undefined) return "required";
  if (issue.code === "unrecognized_keys") return `unknown field(s): ${issue.keys.join(", ")}`;
  return issue.message;
}
