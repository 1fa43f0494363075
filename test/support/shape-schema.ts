// A small OpenAPI 3.1 schema checker for sandbox responses: $ref, allOf, oneOf/anyOf, type (with
// "null" and "integer"), enum, properties and items. Properties are checked only when present, as
// OpenAPI does without `required`; paths listed in `ignore` are skipped (known stale spots).
import { readFileSync } from "node:fs";
import { sharedFile } from "./shared-dir.js";

export type Schema = Record<string, unknown>;

const SWAGGER = sharedFile("chatwoot/openapi/application_swagger.json");

export function readApplicationSwagger(): Schema {
  return asSchema(JSON.parse(readFileSync(SWAGGER, "utf8")));
}

function asSchema(value: unknown): Schema {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error("schema is not an object");
  return { ...value };
}

function child(node: unknown, key: string): unknown {
  if (typeof node !== "object" || node === null || Array.isArray(node)) return undefined;
  return Object.entries(node).find(([name]) => name === key)?.[1];
}

/** `#/components/schemas/contact` → that schema. */
export function resolveRef(root: Schema, ref: string): Schema {
  return asSchema(
    ref
      .replace(/^#\//, "")
      .split("/")
      .reduce<unknown>((node, part) => child(node, part), root),
  );
}

/** The JSON response schema of an operation, e.g. ("/api/v1/accounts/{account_id}/contacts/filter", "post"). */
export function responseSchema(root: Schema, path: string, method: string, status = "200"): Schema {
  const keys = ["paths", path, method, "responses", status, "content", "application/json", "schema"];
  return asSchema(keys.reduce<unknown>((node, key) => child(node, key), root));
}

function typeMatches(type: string, value: unknown): boolean {
  switch (type) {
    case "null":
      return value === null;
    case "integer":
      return typeof value === "number" && Number.isInteger(value);
    case "number":
      return typeof value === "number";
    case "string":
      return typeof value === "string";
    case "boolean":
      return typeof value === "boolean";
    case "array":
      return Array.isArray(value);
    case "object":
      return typeof value === "object" && value !== null && !Array.isArray(value);
    default:
      return true;
  }
}

export function schemaErrors(
  root: Schema,
  schema: Schema,
  value: unknown,
  path = "$",
  ignore: string[] = [],
): string[] {
  if (ignore.includes(path)) return [];
  if (typeof schema.$ref === "string") return schemaErrors(root, resolveRef(root, schema.$ref), value, path, ignore);
  const errors: string[] = [];
  for (const part of Array.isArray(schema.allOf) ? schema.allOf : [])
    errors.push(...schemaErrors(root, asSchema(part), value, path, ignore));
  const alternatives = Array.isArray(schema.oneOf)
    ? schema.oneOf
    : Array.isArray(schema.anyOf)
      ? schema.anyOf
      : undefined;
  if (
    alternatives !== undefined &&
    !alternatives.some((alt) => schemaErrors(root, asSchema(alt), value, path, ignore).length === 0)
  ) {
    errors.push(`${path}: matches none of ${alternatives.length} alternatives`);
  }
  const types =
    typeof schema.type === "string" ? [schema.type] : Array.isArray(schema.type) ? schema.type.map(String) : [];
  const nullable = schema.nullable === true && value === null;
  if (types.length > 0 && !nullable && !types.some((type) => typeMatches(type, value))) {
    return [...errors, `${path}: expected ${types.join("|")}, got ${JSON.stringify(value)?.slice(0, 60)}`];
  }
  if (Array.isArray(schema.enum) && !schema.enum.includes(value) && !nullable)
    errors.push(`${path}: ${JSON.stringify(value)} not in enum`);
  if (typeof schema.properties === "object" && schema.properties !== null && typeMatches("object", value)) {
    for (const [key, sub] of Object.entries(schema.properties)) {
      // typeMatches("object", value) above guarantees a non-null object; it is not a type guard.
      const present = Object.hasOwn(value as object, key);
      if (present) errors.push(...schemaErrors(root, asSchema(sub), child(value, key), `${path}.${key}`, ignore));
    }
  }
  if (typeof schema.items === "object" && schema.items !== null && Array.isArray(value)) {
    value.forEach((item, i) => {
      errors.push(...schemaErrors(root, asSchema(schema.items), item, `${path}[${i}]`, ignore));
    });
  }
  return errors;
}
