// Sandbox responses against Chatwoot's own OpenAPI schemas (application_swagger.json), for the
// operations SOURCE.txt does not list as stale; each ignored path names the stale spot it skips.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type Sandbox } from "../../dev/sandbox/server.js";
import { num, sandboxApi, seedConversation, type SandboxApi } from "../support/sandbox-api.js";
import {
  readApplicationSwagger,
  resolveRef,
  responseSchema,
  schemaErrors,
  type Schema,
} from "../support/shape-schema.js";

const P = "/api/v1/accounts/{account_id}";
let sandbox: Sandbox;
let api: SandboxApi;
let doc: Schema;
let ids: { contactId: number; conversationId: number; messageId: number };

beforeAll(async () => {
  doc = readApplicationSwagger();
  sandbox = await startSandbox();
  api = sandboxApi(sandbox);
  ids = await seedConversation(api, "openapi");
  sandbox.assign(ids.conversationId);
  sandbox.reply(ids.conversationId, "agent reply");
});
afterAll(async () => sandbox.close());

const check = (schema: Schema, value: unknown, ignore: string[] = []) => schemaErrors(doc, schema, value, "$", ignore);

describe("responses match application_swagger.json", () => {
  it("GET /contacts/{id} matches contact_show_response", async () => {
    const answer = await api.get(`/contacts/${ids.contactId}`);
    expect(check(responseSchema(doc, `${P}/contacts/{id}`, "get"), answer.json)).toEqual([]);
  });

  it("contacts index, search and filter match contacts_list_response", async () => {
    const filter = {
      payload: [
        {
          attribute_key: "identifier",
          filter_operator: "equal_to",
          values: ["ext-user-openapi"],
          query_operator: null,
        },
      ],
    };
    for (const [answer, path, method] of [
      [await api.get("/contacts"), `${P}/contacts`, "get"],
      [await api.get("/contacts/search?q=openapi"), `${P}/contacts/search`, "get"],
      [await api.post("/contacts/filter", filter), `${P}/contacts/filter`, "post"],
    ] as const) {
      expect(check(responseSchema(doc, path, method), answer.json)).toEqual([]);
      expect(num(answer.json, "meta", "count")).toBe(1);
    }
  });

  it("POST /contacts/{id}/contact_inboxes matches contact_inboxes, but for inbox.provider (null, CONTRACT.md §2.3)", async () => {
    const answer = await api.post(`/contacts/${ids.contactId}/contact_inboxes`, {
      inbox_id: 1,
      source_id: "ext-chat-openapi",
    });
    const schema = responseSchema(doc, `${P}/contacts/{id}/contact_inboxes`, "post");
    expect(check(schema, answer.json, ["$.inbox.provider"])).toEqual([]);
    expect(check(schema, answer.json)).toEqual(["$.inbox.provider: expected string, got null"]);
  });

  it("GET /contacts/{id}/conversations matches contact_conversations_response", async () => {
    const answer = await api.get(`/contacts/${ids.contactId}/conversations`);
    expect(check(responseSchema(doc, `${P}/contacts/{id}/conversations`, "get"), answer.json)).toEqual([]);
  });

  it("GET /conversations matches conversation_list and GET /conversations/{id} matches conversation_show", async () => {
    const list = await api.get("/conversations");
    expect(check(responseSchema(doc, `${P}/conversations`, "get"), list.json)).toEqual([]);
    const show = await api.get(`/conversations/${ids.conversationId}`);
    expect(check(responseSchema(doc, `${P}/conversations/{conversation_id}`, "get"), show.json)).toEqual([]);
  });

  it("toggle_status matches its inline schema", async () => {
    const answer = await api.post(`/conversations/${ids.conversationId}/toggle_status`, { status: "pending" });
    expect(
      check(responseSchema(doc, `${P}/conversations/{conversation_id}/toggle_status`, "post"), answer.json),
    ).toEqual([]);
  });

  it("message create matches generic_id + message, and the message list's payload matches message", async () => {
    const created = await api.post(`/conversations/${ids.conversationId}/messages`, {
      content: "schema",
      message_type: "incoming",
    });
    expect(check(responseSchema(doc, `${P}/conversations/{conversation_id}/messages`, "post"), created.json)).toEqual(
      [],
    );
    const listed = await api.get(`/conversations/${ids.conversationId}/messages`);
    // meta.contact's schema is the stale `contact` list ({payload:[…]}); the code sends contact push data.
    const schema = responseSchema(doc, `${P}/conversations/{conversation_id}/messages`, "get");
    expect(check(schema, listed.json, ["$.meta.contact"])).toEqual([]);
  });

  it("GET /inboxes/{id} matches inbox", async () => {
    const answer = await api.get("/inboxes/1");
    expect(check(responseSchema(doc, `${P}/inboxes/{id}`, "get"), answer.json)).toEqual([]);
    expect(check(resolveRef(doc, "#/components/schemas/inbox"), { id: "1" })).toEqual([
      '$.id: expected number, got "1"',
    ]);
  });
});
