// The sandbox's catch-up listing follows CONTRACT-addendum §A.7 and CONTRACT.md §2.4: GET /conversations with
// inbox_id, status=all and updated_within answers every conversation updated in the window, unpaginated, inside the
// `data` wrapper; a new or changed message updates its conversation (Message touches it); over the limit, a 429.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type Sandbox } from "../../dev/sandbox/server.js";
import { ChatwootClient } from "../../functions/adapters/chatwoot-client.js";
import { field, items, num, sandboxApi, seedConversation, type SandboxApi } from "../support/sandbox-api.js";

let sandbox: Sandbox;
let api: SandboxApi;
const seeded: number[] = [];
beforeAll(async () => {
  sandbox = await startSandbox();
  api = sandboxApi(sandbox);
  // More than one page (25), one of them resolved.
  for (let i = 0; i < 27; i++) seeded.push((await seedConversation(api, `listed-${i}`)).conversationId);
  sandbox.resolve(seeded[3] ?? -1);
});
afterAll(async () => sandbox.close());

const ids = (json: unknown) => items(json, "data", "payload").map((c) => c.id);

describe("GET /conversations?updated_within=", () => {
  it("answers every conversation of every status updated within the window, unpaginated, in the data wrapper", async () => {
    const answer = await api.get("/conversations?inbox_id=1&status=all&updated_within=3600");
    expect(answer.status).toBe(200);
    expect(field(answer.json, "data", "meta", "all_count")).toBe(27);
    expect(ids(answer.json).sort()).toEqual([...seeded].sort());
    expect(items(answer.json, "data", "payload").find((c) => c.id === seeded[3])?.status).toBe("resolved");
  });

  it("pages by 25 without updated_within, and lists only open ones without status=all", async () => {
    expect(ids((await api.get("/conversations?inbox_id=1&status=all")).json)).toHaveLength(25);
    expect(ids((await api.get("/conversations?inbox_id=1&updated_within=3600")).json)).not.toContain(seeded[3]);
  });

  it("leaves out conversations not updated within the window", async () => {
    const answer = await api.get("/conversations?inbox_id=1&status=all&updated_within=0");
    expect(ids(answer.json)).toEqual([]);
  });

  it("moves a conversation's updated_at when an agent replies or a message changes", async () => {
    const id = seeded[5] ?? -1;
    const before = num(await api.get(`/conversations/${id}`).then((a) => a.json), "updated_at");
    const reply = sandbox.reply(id, "Let me check.");
    const afterReply = num(await api.get(`/conversations/${id}`).then((a) => a.json), "updated_at");
    sandbox.deleteMessage(id, reply.id);
    const afterDelete = num(await api.get(`/conversations/${id}`).then((a) => a.json), "updated_at");
    expect(afterReply).toBeGreaterThan(before);
    expect(afterDelete).toBeGreaterThan(afterReply);
  });

  it("answers 429 'Retry later' with no Retry-After past the per-minute request limit (CONTRACT.md §5)", async () => {
    sandbox.setRequestLimitPerMinute(1);
    try {
      const answers = [
        await api.get("/conversations?inbox_id=1&status=all&updated_within=60"),
        await api.get("/conversations?inbox_id=1&status=all&updated_within=60"),
      ];
      const last = answers.at(-1);
      expect([last?.status, last?.text, last?.headers.get("retry-after")]).toEqual([429, "Retry later\n", null]);
    } finally {
      sandbox.setRequestLimitPerMinute(3000);
    }
  });

  it("is read by the bridge's client: id, status, updated_at, and the contact's id, identifier and source_id", async () => {
    const client = new ChatwootClient({
      chatwootBaseUrl: new URL(sandbox.url),
      chatwootAccountId: sandbox.accountId,
      chatwootInboxId: sandbox.inboxId,
      chatwootApiToken: sandbox.apiToken,
      chatwootTimeoutMs: 5000,
    });
    const listed = await client.listUpdatedConversations(3600);
    const resolved = listed.find((c) => c.conversationId === seeded[3]);
    const shown = num((await api.get(`/conversations/${seeded[3]}`)).json, "updated_at");
    const contact = sandbox.contacts().find((c) => c.identifier === "ext-user-listed-3");
    expect(listed).toHaveLength(27);
    expect(resolved).toEqual({
      conversationId: seeded[3],
      status: "resolved",
      updatedAt: shown,
      contactId: contact?.id,
      identifier: "ext-user-listed-3",
      sourceId: "ext-chat-listed-3",
    });
  });
});
