// ActiveSupport's `to_json`: compact JSON with <, >, &, U+2028 and U+2029 escaped (CONTRACT.md §4.2).
// Used for webhook bodies and API responses alike, since Rails renders both through it.

const ESCAPES: Record<string, string> = {
  "<": "\\u003c",
  ">": "\\u003e",
  "&": "\\u0026",
  "\u2028": "\\u2028",
  "\u2029": "\\u2029",
};

export function activeSupportJson(value: unknown): string {
  // JSON.stringify leaves these characters raw inside strings, and they never occur outside strings.
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (char) => ESCAPES[char] ?? char);
}
