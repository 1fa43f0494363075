// A strict JSON reader for request bodies: valid UTF-8 only, no duplicate keys, no number JSON.parse would rewrite
// (1e400 -> Infinity -> null, 2^60 rounded), bounded nesting, and `__proto__` kept as an own key, never a prototype.
// One pass over the text; strings without escapes are sliced, escaped ones decoded by the native JSON.parse.
import { BridgeError } from "../core/errors.js";

/** Deeper than any body of ours or any Chatwoot webhook needs; stops a 5,000-level body before it costs a stack. */
export const MAX_JSON_DEPTH = 32;

const utf8 = new TextDecoder("utf-8", { fatal: true });

export interface StrictJsonOptions {
  maxDepth: number;
}

/** The bytes as text, or a 400 invalid_json: invalid UTF-8 is never decoded into U+FFFD. */
export function readUtf8(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw invalid("Body is not valid UTF-8; JSON bodies must be encoded as UTF-8");
  }
}

/** The body's bytes as a JSON value, or a 400 invalid_json naming what was wrong (never the body's text). */
export function readStrictJson(bytes: Uint8Array, options: StrictJsonOptions = { maxDepth: MAX_JSON_DEPTH }): unknown {
  const text = readUtf8(bytes);
  const reader = new Reader(text, options.maxDepth);
  reader.skipSpace();
  const value = reader.value(1);
  reader.skipSpace();
  if (reader.at < text.length) reader.fail("unexpected text after the JSON value");
  return value;
}

function invalid(message: string): BridgeError {
  return new BridgeError("invalid_json", message);
}

/** An escape or a control character (C0 ones are invalid raw): such a string is decoded and checked by JSON.parse. */
const NEEDS_PARSE = /[\p{Cc}\\]/u;
const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
/** The characters a number literal may hold: the literal runs until the first other one. */
const isNumberChar = (c: number) => (c >= 48 && c <= 57) || c === 45 || c === 43 || c === 46 || c === 101 || c === 69;

class Reader {
  at = 0;
  constructor(
    private readonly text: string,
    private readonly maxDepth: number,
  ) {}

  fail(what: string): never {
    throw invalid(`Body is not valid JSON: ${what} at offset ${this.at}`);
  }

  skipSpace(): void {
    const text = this.text;
    let at = this.at;
    for (let c = text.charCodeAt(at); c === 32 || c === 10 || c === 13 || c === 9; c = text.charCodeAt(++at));
    this.at = at;
  }

  value(depth: number): unknown {
    const c = this.text.charCodeAt(this.at);
    if (c === 123 /* { */) return this.object(depth);
    if (c === 91 /* [ */) return this.array(depth);
    if (c === 34 /* " */) return this.string();
    if (c === 45 || (c >= 48 && c <= 57)) return this.number();
    for (const [word, literal] of LITERALS) {
      if (this.text.startsWith(word, this.at)) {
        this.at += word.length;
        return literal;
      }
    }
    return this.fail(this.at >= this.text.length ? "unexpected end" : "unexpected character");
  }

  private enter(depth: number): void {
    if (depth > this.maxDepth)
      throw invalid(`Body is nested deeper than ${this.maxDepth} levels (objects and arrays), the limit`);
    this.at++;
    this.skipSpace();
  }

  private object(depth: number): Record<string, unknown> {
    this.enter(depth);
    const result: Record<string, unknown> = {};
    if (this.text.charCodeAt(this.at) === 125 /* } */) {
      this.at++;
      return result;
    }
    for (;;) {
      if (this.text.charCodeAt(this.at) !== 34) this.fail("expected a string key");
      const key = this.string();
      if (Object.hasOwn(result, key)) throw invalid(`Body has the key "${printableKey(key)}" twice in one object`);
      this.skipSpace();
      if (this.text.charCodeAt(this.at) !== 58 /* : */) this.fail("expected ':'");
      this.at++;
      this.skipSpace();
      // defineProperty: assigning `__proto__` would replace the prototype and drop the key (JSON.parse keeps it too).
      Object.defineProperty(result, key, {
        value: this.value(depth + 1),
        enumerable: true,
        writable: true,
        configurable: true,
      });
      this.skipSpace();
      const next = this.text.charCodeAt(this.at++);
      if (next === 125) return result;
      if (next !== 44 /* , */) this.fail("expected ',' or '}'");
      this.skipSpace();
    }
  }

  private array(depth: number): unknown[] {
    this.enter(depth);
    const result: unknown[] = [];
    if (this.text.charCodeAt(this.at) === 93 /* ] */) {
      this.at++;
      return result;
    }
    for (;;) {
      result.push(this.value(depth + 1));
      this.skipSpace();
      const next = this.text.charCodeAt(this.at++);
      if (next === 93) return result;
      if (next !== 44) this.fail("expected ',' or ']'");
      this.skipSpace();
    }
  }

  /** Finds the closing quote natively; JSON.parse decodes (and checks) a string only when it has escapes. */
  private string(): string {
    const text = this.text;
    const start = this.at;
    for (let quote = text.indexOf('"', start + 1); quote !== -1; quote = text.indexOf('"', quote + 1)) {
      let backslashes = 0;
      while (text.charCodeAt(quote - 1 - backslashes) === 92) backslashes++;
      if (backslashes % 2 === 1) continue;
      const raw = text.slice(start, quote + 1);
      this.at = quote + 1;
      if (!NEEDS_PARSE.test(raw)) return raw.slice(1, -1);
      try {
        return JSON.parse(raw);
      } catch {
        this.at = start;
        return this.fail("bad escape or control character in a string");
      }
    }
    this.at = text.length;
    return this.fail("unterminated string");
  }

  private number(): number {
    let end = this.at;
    while (isNumberChar(this.text.charCodeAt(end))) end++;
    const literal = this.text.slice(this.at, end);
    if (!NUMBER.test(literal)) return this.fail("malformed number");
    const value = Number(literal);
    // Refused, not rewritten: JSON.parse turns 1e400 into Infinity (then null) and rounds 2^53 + 1.
    if (
      !Number.isFinite(value) ||
      Math.abs(value) > Number.MAX_SAFE_INTEGER ||
      (value === 0 && /[1-9]/.test(mantissa(literal)))
    )
      throw invalid(`Body has the number ${literal.slice(0, 40)} outside the safe range (±${Number.MAX_SAFE_INTEGER})`);
    this.at += literal.length;
    return value;
  }
}

const LITERALS: ReadonlyArray<[string, unknown]> = [
  ["true", true],
  ["false", false],
  ["null", null],
];

function mantissa(literal: string): string {
  return literal.split(/[eE]/)[0] ?? "";
}

/** A key as the error may show it: field names are ours or the client's own, cut short and without controls. */
function printableKey(key: string): string {
  const clean = key.replace(/[\p{Cc}\p{Cf}]/gu, "?");
  return clean.length > 64 ? `${clean.slice(0, 64)}…` : clean;
}
