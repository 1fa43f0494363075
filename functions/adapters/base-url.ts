// A base URL may carry credentials (https://user:pass@host, a proxy in front of Chatwoot). fetch refuses such a
// URL, and printing it would show them: they travel as Basic auth, and only the bare URL is ever used or shown.

export interface SplitUrl {
  /** The URL without user:password@. */
  url: string;
  /** `authorization: Basic …` when the URL had credentials; empty otherwise. */
  headers: Record<string, string>;
}

export function splitCredentials(url: URL | string): SplitUrl {
  const bare = new URL(url);
  const user = decodeURIComponent(bare.username);
  const password = decodeURIComponent(bare.password);
  bare.username = "";
  bare.password = "";
  const headers: Record<string, string> = {};
  if (user || password) headers.authorization = `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
  return { url: bare.href, headers };
}
