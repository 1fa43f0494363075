// Rails-like request params: query string, JSON, urlencoded and multipart bodies merged into one
// tree (`message[attachments][]` nests as in Rack), with the casts Rails applies when reading them.
import type { JsonObject, UploadedFile } from "./types.js";

export class FileParam implements UploadedFile {
  constructor(
    readonly filename: string,
    readonly contentType: string,
    readonly data: Uint8Array,
  ) {}
}

export type Param = string | number | boolean | null | FileParam | Param[] | ParamObject;
export interface ParamObject {
  [key: string]: Param;
}

export function isParamObject(value: Param | undefined): value is ParamObject {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof FileParam);
}

/** Sets `message[attachments][]`-style keys into `target`, as Rack's nested query parser does. */
export function setNested(target: ParamObject, key: string, value: Param): void {
  const parts = key.replace(/\]/g, "").split("[");
  let node: ParamObject = target;
  for (let i = 0; i < parts.length; i += 1) {
    const part = parts[i] ?? "";
    const last = i === parts.length - 1;
    const nextIsList = parts[i + 1] === "";
    if (last) {
      if (part === "") return;
      node[part] = value;
      return;
    }
    if (nextIsList && i + 1 === parts.length - 1) {
      const list = node[part];
      node[part] = Array.isArray(list) ? [...list, value] : [value];
      return;
    }
    const child = node[part];
    const nextNode: ParamObject = isParamObject(child) ? child : {};
    node[part] = nextNode;
    node = nextNode;
  }
}

/** A scalar param as a string (`to_s`); undefined when absent, null or structured. */
export function text(value: Param | undefined): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return undefined;
}

/** A string param that is present and not blank (`.present?`). */
export function presentText(value: Param | undefined): string | undefined {
  const result = text(value);
  return result !== undefined && result.trim() !== "" ? result : undefined;
}

/** An id as `find` reads it: "12" and 12 work, anything else misses. */
export function integer(value: Param | undefined): number | undefined {
  const raw = text(value);
  if (raw === undefined || !/^\s*-?\d+\s*$/.test(raw)) return undefined;
  return Number.parseInt(raw, 10);
}

/** ActiveModel::Type::Boolean: false for false/"false"/"0"/"f"/"off", null for blank, else true. */
export function bool(value: Param | undefined): boolean | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  if (value === false || value === 0) return false;
  if (typeof value === "string" && ["false", "0", "f", "off"].includes(value.toLowerCase())) return false;
  return true;
}

export function object(value: Param | undefined): ParamObject | undefined {
  return isParamObject(value) ? value : undefined;
}

export function list(value: Param | undefined): Param[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** Converts a permitted hash param (`custom_attributes: {}`) to plain JSON; files are dropped. */
export function toJson(value: ParamObject): JsonObject {
  const result: JsonObject = {};
  for (const [key, entry] of Object.entries(value)) {
    if (!(entry instanceof FileParam)) result[key] = isParamObject(entry) ? toJson(entry) : entry;
  }
  return result;
}
