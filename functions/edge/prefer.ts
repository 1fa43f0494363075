// The `Prefer` request header (RFC 7240): a comma-separated list of preferences, each a token with an optional
// value and `;` parameters. Only `respond-async` (§4.1) changes what the bridge does; others are ignored (§2).

/** True when the client asked for `respond-async` (names compared without regard to case, like HTTP tokens). */
export function prefersRespondAsync(headers: Record<string, string | undefined> | undefined): boolean {
  const value = headers?.prefer;
  if (value === undefined) return false;
  return value
    .split(",")
    .map((preference) => preference.split(";")[0]?.split("=")[0]?.trim().toLowerCase())
    .some((name) => name === "respond-async");
}
