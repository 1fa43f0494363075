// Attributes each Chatwoot call the bridge makes to the benchmark request that caused it: the bridge's own
// ChatwootClient, on a fetch that finds the request from the user id or message source_id in the call's body and
// sends its tag as x-sandbox-tag. The sandbox records the tag with the call's time (dev/sandbox/call-timings.ts),
// so sandbox time is known per request. No AsyncLocalStorage: it would turn on promise hooks for the whole process and slow the bridge being measured.
import { TAG_HEADER } from "../dev/sandbox/call-timings.js";
import type { Config } from "../functions/config.js";
import { ChatwootClient } from "../functions/adapters/chatwoot-client.js";
import { messageSourceId } from "../functions/core/identity.js";

/** Which benchmark request a call belongs to, found from what the bridge passes to Chatwoot. */
export class RequestTags {
  private readonly byUser = new Map<string, string>();
  private readonly bySourceId = new Map<string, string>();

  /** A user's contact is created by their first planned message; every message is found by its source_id. */
  plan(userId: string, messageId: string, tag: string): void {
    if (!this.byUser.has(userId)) this.byUser.set(userId, tag);
    this.bySourceId.set(messageSourceId(userId, messageId), tag);
  }

  ofUser(userId: string): string | undefined {
    return this.byUser.get(userId);
  }

  ofSourceId(sourceId: string): string | undefined {
    return this.bySourceId.get(sourceId);
  }
}

/** The tag of the request a call belongs to, read from the JSON body ofetch hands to fetch. */
function tagOf(tags: RequestTags, body: unknown): string | undefined {
  if (typeof body !== "string") return undefined;
  for (const [, sourceId] of body.matchAll(/"source_id":"([^"]*)"/g)) {
    const tag = tags.ofSourceId(sourceId ?? "");
    if (tag !== undefined) return tag;
  }
  const identifier = /"identifier":"([^"]*)"/.exec(body)?.[1];
  return identifier === undefined ? undefined : tags.ofUser(identifier);
}

/**
 * The bridge's own ChatwootClient, one for the whole run as the bridge builds it, on a fetch that adds the tag of
 * the request each call belongs to (calls that name neither a user nor a message stay untagged).
 */
export function taggedChatwoot(config: Config, tags: RequestTags): ChatwootClient {
  const fetch: typeof globalThis.fetch = (input, init) => {
    const tag = tagOf(tags, init?.body);
    if (tag === undefined) return globalThis.fetch(input, init);
    const headers = new Headers(init?.headers);
    headers.set(TAG_HEADER, tag);
    return globalThis.fetch(input, { ...init, headers });
  };
  return new ChatwootClient(config, { fetch });
}
