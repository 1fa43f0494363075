// ChatwootClient's channel calls (issue 15): the inbox identifier read once per client, the Client API without the
// token, one attempt for typing, and a quote plus external_created_at in the message body.
import { describe, expect, it } from "vitest";
import { ChatwootClient } from "../../functions/adapters/chatwoot-client.js";
import { CHATWOOT_CLIENT_CONFIG as CONFIG } from "../support/chatwoot-client-config.js";

interface Seen {
  method: string;
  url: string;
  token: string | null;
  body: string;
}

function recordingFetch(answer: (request: Request) => Response) {
  const seen: Seen[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const request = new Request(input, init);
    const body = await request.text();
    seen.push({ method: request.method, url: request.url, token: request.headers.get("api_access_token"), body });
    return answer(request);
  };
  return { seen, fetch };
}

const inboxAnswer = () => Response.json({ id: 12, inbox_identifier: "abc-Inbox" });

describe("ChatwootClient channel calls", () => {
  it("reads the inbox identifier once, then calls toggle_typing and update_last_seen without the token", async () => {
    const { seen, fetch } = recordingFetch((request) =>
      request.url.includes("/inboxes/12") && !request.url.includes("/public/") ? inboxAnswer() : new Response(null),
    );
    const client = new ChatwootClient(CONFIG, { fetch });
    await client.toggleContactTyping("cwb-source/1", 287, true);
    await client.toggleContactTyping("cwb-source/1", 287, false);
    await client.updateContactLastSeen("cwb-source/1", 287);
    const publicBase =
      "http://chatwoot.invalid/public/api/v1/inboxes/abc-Inbox/contacts/cwb-source%2F1/conversations/287";
    expect(seen).toEqual([
      {
        method: "GET",
        url: "http://chatwoot.invalid/api/v1/accounts/3/inboxes/12",
        token: "token-for-tests",
        body: "",
      },
      { method: "POST", url: `${publicBase}/toggle_typing`, token: null, body: '{"typing_status":"on"}' },
      { method: "POST", url: `${publicBase}/toggle_typing`, token: null, body: '{"typing_status":"off"}' },
      { method: "POST", url: `${publicBase}/update_last_seen`, token: null, body: "{}" },
    ]);
  });

  it("makes one typing attempt only, even when Chatwoot answers 429", async () => {
    const { seen, fetch } = recordingFetch((request) =>
      request.url.includes("/public/") ? new Response("Retry later\n", { status: 429 }) : inboxAnswer(),
    );
    const client = new ChatwootClient(CONFIG, { fetch });
    await expect(client.toggleContactTyping("s", 287, true)).rejects.toMatchObject({ kind: "unavailable" });
    expect(seen.filter((s) => s.url.includes("/toggle_typing"))).toHaveLength(1);
  });

  it("posts a quote and external_created_at with the message, in one call", async () => {
    const { seen, fetch } = recordingFetch(() => Response.json({ id: 91230 }));
    const client = new ChatwootClient(CONFIG, { fetch });
    await client.createMessage(287, {
      sourceId: "cwb-msg-2",
      content: "this one",
      contentAttributes: { in_reply_to: 91201, in_reply_to_external_id: "cwb-msg-1" },
      externalCreatedAt: "2026-06-20T14:01:07Z",
    });
    expect(seen.map((s) => JSON.parse(s.body))).toEqual([
      {
        content: "this one",
        message_type: "incoming",
        source_id: "cwb-msg-2",
        content_attributes: { in_reply_to: 91201, in_reply_to_external_id: "cwb-msg-1" },
        external_created_at: "2026-06-20T14:01:07Z",
      },
    ]);
  });

  it("marks a message read and deletes one on the Application API", async () => {
    const { seen, fetch } = recordingFetch(() => Response.json({ id: 5 }));
    const client = new ChatwootClient(CONFIG, { fetch });
    await client.markMessageRead(287, 5);
    await client.deleteMessage(287, 6);
    expect(seen.map((s) => [s.method, s.url, s.body])).toEqual([
      ["PATCH", "http://chatwoot.invalid/api/v1/accounts/3/conversations/287/messages/5", '{"status":"read"}'],
      ["DELETE", "http://chatwoot.invalid/api/v1/accounts/3/conversations/287/messages/6", ""],
    ]);
  });
});
