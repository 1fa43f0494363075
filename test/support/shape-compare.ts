// Compares the shape of two JSON values: same keys in the same order, same nesting, same JSON types
// (integer and float told apart, ISO timestamps told apart from other strings). Values may differ.

export type JsonKind = "null" | "boolean" | "integer" | "float" | "string" | "iso-time" | "array" | "object";

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

export function kindOf(value: unknown): JsonKind {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "boolean") return "boolean";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "float";
  if (typeof value === "string") return ISO_TIME.test(value) ? "iso-time" : "string";
  return "object";
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Lists every difference in shape, as "path: problem" lines; empty when the shapes agree. Arrays
 * must have the same length and are compared element by element.
 */
export function shapeDiff(expected: unknown, actual: unknown, path = "$"): string[] {
  const expectedKind = kindOf(expected);
  const actualKind = kindOf(actual);
  if (expectedKind !== actualKind) return [`${path}: expected ${expectedKind}, got ${actualKind}`];
  if (Array.isArray(expected) && Array.isArray(actual)) {
    if (expected.length !== actual.length)
      return [`${path}: expected ${expected.length} elements, got ${actual.length}`];
    return expected.flatMap((item, i) => shapeDiff(item, actual[i], `${path}[${i}]`));
  }
  if (isRecord(expected) && isRecord(actual)) {
    const expectedKeys = Object.keys(expected);
    const actualKeys = Object.keys(actual);
    const problems: string[] = [];
    const missing = expectedKeys.filter((key) => !(key in actual));
    const extra = actualKeys.filter((key) => !(key in expected));
    if (missing.length > 0) problems.push(`${path}: missing keys ${missing.join(", ")}`);
    if (extra.length > 0) problems.push(`${path}: unexpected keys ${extra.join(", ")}`);
    if (missing.length === 0 && extra.length === 0 && expectedKeys.join(",") !== actualKeys.join(",")) {
      problems.push(`${path}: key order ${actualKeys.join(",")} instead of ${expectedKeys.join(",")}`);
    }
    for (const key of expectedKeys) {
      if (key in actual) problems.push(...shapeDiff(expected[key], actual[key], `${path}.${key}`));
    }
    return problems;
  }
  return [];
}
