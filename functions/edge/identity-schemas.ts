// The external id rule (core/external-id.ts) as a zod schema naming what was wrong, and the limits of custom_attributes.
import * as z from "zod/mini";
import { BIDI_CONTROL, LONE_SURROGATE, MAX_ID_CHARS, NO_CONTROL, VISIBLE } from "../core/external-id.js";

/**
 * An external id: 1–255 UTF-16 characters of well-formed Unicode, no control (Cc) or bidi control characters,
 * and at least one visible character. Reused for every id the external system names.
 */
export const externalId = z.string().check(
  z.minLength(1, "must not be empty"),
  z.maxLength(MAX_ID_CHARS, `must be at most ${MAX_ID_CHARS} characters`),
  z.refine((id) => !LONE_SURROGATE.test(id), "must be well-formed Unicode (it has a lone surrogate)"),
  z.regex(NO_CONTROL, "must not contain control characters"),
  z.refine((id) => !BIDI_CONTROL.test(id), "must not contain bidirectional control characters"),
  z.regex(VISIBLE, "must contain a visible character (not only spaces or invisible characters)"),
);

/** custom_attributes: flat-ish metadata, not a document store (Chatwoot keeps it in one jsonb column). */
export const CUSTOM_ATTRIBUTES_LIMITS = { maxDepth: 5, maxKeys: 100, maxBytes: 16 * 1024, maxKeyChars: 255 };
/** Keys that name JavaScript's prototype machinery: refused rather than risk one being dropped on the way. */
const RESERVED_KEYS = new Set(["__proto__", "constructor", "prototype"]);

type JsonRecord = Record<string, unknown>;

function isRecord(value: unknown): value is JsonRecord {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

interface Shape {
  depth: number;
  keys: number;
  longKey: boolean;
  reserved: string | undefined;
}

/** Depth, key count and the worst keys of a parsed JSON value; stops descending past the depth limit. */
function shapeOf(value: unknown, depth = 1, shape: Shape = { depth: 0, keys: 0, longKey: false, reserved: undefined }) {
  if (typeof value !== "object" || value === null) return shape;
  shape.depth = Math.max(shape.depth, depth);
  if (depth > CUSTOM_ATTRIBUTES_LIMITS.maxDepth) return shape;
  const keys = Array.isArray(value) ? [] : Object.keys(value);
  shape.keys += keys.length;
  for (const key of keys) {
    if (RESERVED_KEYS.has(key)) shape.reserved ??= key;
    if (key.length > CUSTOM_ATTRIBUTES_LIMITS.maxKeyChars) shape.longKey = true;
  }
  for (const child of Object.values(value)) shapeOf(child, depth + 1, shape);
  return shape;
}

const { maxDepth, maxKeys, maxBytes, maxKeyChars } = CUSTOM_ATTRIBUTES_LIMITS;

/** Checked on the value as parsed (a zod record would assign `__proto__` and so drop it before any check). */
export const customAttributes = z.custom<JsonRecord>(isRecord, "must be an object").check(
  z.refine((value) => shapeOf(value).depth <= maxDepth, `must be nested at most ${maxDepth} levels deep`),
  z.refine((value) => shapeOf(value).keys <= maxKeys, `must have at most ${maxKeys} keys in all`),
  z.refine((value) => !shapeOf(value).longKey, `keys must be at most ${maxKeyChars} characters`),
  z.refine(
    (value) => shapeOf(value).reserved === undefined,
    "must not use the keys __proto__, constructor or prototype",
  ),
  z.refine(
    (value) => Buffer.byteLength(JSON.stringify(value)) <= maxBytes,
    `must be at most ${maxBytes} bytes as JSON`,
  ),
);
