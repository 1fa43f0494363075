// ChatwootClient's `fetch` option (STYLE §4: adapters take their transport as an option): every call goes
// through the fetch it was given. ofetch 1.5.1 silently ignores a per-request `fetch`, so this once failed.
import { describe, expect, it } from "vitest";
import { ChatwootClient } from "../../functions/adapters/chatwoot-client.js";
import { CHATWOOT_CLIENT_CONFIG as CONFIG } from "../support/chatwoot-client-config.js";

describe("ChatwootClient fetch option", () => {
  it("sends through the given fetch, with the account path, the token in both spellings and the JSON body", async () => {
    const seen: Array<{ url: string; method: string; token: string | null; dashed: string | null; body: unknown }> = [];
    const fetch: typeof globalThis.fetch = async (input, init) => {
      const request = new Request(input, init);
      seen.push({
        url: request.url,
        method: request.method,
        token: request.headers.get("api_access_token"),
        dashed: request.headers.get("api-access-token"),
        body: await request.json(),
      });
      return Response.json({ id: 91201 });
    };
    const client = new ChatwootClient(CONFIG, { fetch });
    const posted = await client.createMessage(287, { sourceId: "cwb-msg-1", content: "Hello" });
    expect(posted).toEqual({ messageId: 91201 });
    expect(seen).toEqual([
      {
        url: "http://chatwoot.invalid/api/v1/accounts/3/conversations/287/messages",
        method: "POST",
        token: "token-for-tests",
        dashed: "token-for-tests",
        body: { content: "Hello", message_type: "incoming", source_id: "cwb-msg-1" },
      },
    ]);
  });
});
