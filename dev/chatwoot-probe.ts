// One cheap call at start (GET the inbox, CONTRACT.md §2.6) so a refused token, a wrong account or inbox id or an
// unreachable Chatwoot is named on the console before the first user message finds it.
import { chatwootHeaders } from "../functions/adapters/chatwoot-http.js";
import type { Config } from "../functions/config.js";

export type ChatwootProbe = { ok: true; inboxName: string } | { ok: false; problem: string };

export async function probeChatwoot(config: Config): Promise<ChatwootProbe> {
  const base = config.chatwootBaseUrl;
  if (!base) return { ok: false, problem: "CHATWOOT_BASE_URL is not set" };
  // The config refuses credentials in CHATWOOT_BASE_URL, so the URL may be shown as it is.
  const root = base.href;
  const url = new URL(
    `api/v1/accounts/${config.chatwootAccountId}/inboxes/${config.chatwootInboxId}`,
    root.endsWith("/") ? root : `${root}/`,
  );
  let response: Response;
  try {
    response = await fetch(url, {
      headers: chatwootHeaders(config.chatwootApiToken),
      redirect: "manual",
      signal: AbortSignal.timeout(config.chatwootTimeoutMs),
    });
  } catch (error) {
    return { ok: false, problem: `Chatwoot at ${root} could not be reached (${reason(error)})` };
  }
  const body: unknown = await response.json().catch(() => undefined);
  if (response.ok) {
    const name = typeof body === "object" && body !== null ? Reflect.get(body, "name") : undefined;
    return { ok: true, inboxName: typeof name === "string" ? name : "" };
  }
  if (response.status === 401 || response.status === 403) {
    return { ok: false, problem: `Chatwoot refused CHATWOOT_API_TOKEN (${response.status})` };
  }
  if (response.status === 404) {
    return {
      ok: false,
      problem: `Chatwoot has no inbox ${config.chatwootInboxId} in account ${config.chatwootAccountId} (404): check CHATWOOT_ACCOUNT_ID and CHATWOOT_INBOX_ID`,
    };
  }
  return { ok: false, problem: `Chatwoot answered ${response.status} when asked for the inbox` };
}

function reason(error: unknown): string {
  if (error instanceof Error && error.name === "TimeoutError") return "no answer in time";
  const cause = error instanceof Error ? error.cause : undefined;
  const code = cause instanceof Error ? Reflect.get(cause, "code") : undefined;
  return typeof code === "string" ? code : "connection failed";
}
