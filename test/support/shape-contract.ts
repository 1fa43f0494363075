// The JSON response examples of CONTRACT.md, read from the file (never retyped): the ```json block
// that follows a given marker line, parsed, for shape comparison with sandbox responses.
import { readFileSync } from "node:fs";
import { sharedFile } from "./shared-dir.js";

const CONTRACT = sharedFile("chatwoot/CONTRACT.md");

/** The first ```json block after the first line containing `marker`. */
export function contractExample(marker: string): Record<string, unknown> {
  const text = readFileSync(CONTRACT, "utf8");
  const at = text.indexOf(marker);
  if (at < 0) throw new Error(`CONTRACT.md has no "${marker}"`);
  const block = /```json\n([\s\S]*?)```/.exec(text.slice(at));
  if (block?.[1] === undefined) throw new Error(`no json block after "${marker}"`);
  const parsed: unknown = JSON.parse(block[1]);
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    throw new Error("example is not an object");
  return { ...parsed };
}

/** The first inline `{…}` code span after the line containing `marker` (e.g. §2.3's response). */
export function contractInlineExample(marker: string): Record<string, unknown> {
  const text = readFileSync(CONTRACT, "utf8");
  const at = text.indexOf(marker);
  const span = /`(\{[^`]*\})`/.exec(text.slice(at));
  if (at < 0 || span?.[1] === undefined) throw new Error(`no inline example after "${marker}"`);
  const parsed: unknown = JSON.parse(span[1]);
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    throw new Error("example is not an object");
  return { ...parsed };
}
