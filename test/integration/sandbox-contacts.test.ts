// Contacts in the sandbox behave as CONTRACT.md §2.2-§2.3 says Chatwoot's do: response envelopes,
// validation 422s, the 500 for a foreign source_id, filter (exact) versus search (substring).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type Sandbox } from "../../dev/sandbox/server.js";
import { field, items, num, sandboxApi, seedConversation, type SandboxApi } from "../support/sandbox-api.js";
import { shapeDiff } from "../support/shape-compare.js";
import { contractExample, contractInlineExample } from "../support/shape-contract.js";

let sandbox: Sandbox;
let api: SandboxApi;
beforeAll(async () => {
  sandbox = await startSandbox();
  api = sandboxApi(sandbox);
});
afterAll(async () => sandbox.close());

const filterBy = (key: string, value: string, operator = "equal_to") =>
  api.post("/contacts/filter", {
    payload: [{ attribute_key: key, filter_operator: operator, values: [value], query_operator: null }],
  });
const identifiers = (answer: { json: unknown }) => items(answer.json, "payload").map((c) => c.identifier);

describe("POST /contacts", () => {
  it("answers 200 {payload:{contact, contact_inbox}} shaped like CONTRACT.md's example, with the raw inbox record", async () => {
    const answer = await api.post("/contacts", {
      name: "María López",
      identifier: "ext-user-7781",
      phone_number: "+5215512345678",
      inbox_id: 1,
      source_id: "ext-chat-90412",
      custom_attributes: { external_user_id: "7781" },
    });
    expect(answer.status).toBe(200);
    expect(shapeDiff(contractExample("* **Response 200.** The `payload.contact`"), answer.json)).toEqual([]);
    expect(field(answer.json, "payload", "contact_inbox", "source_id")).toBe("ext-chat-90412");
  });

  it("answers contact_inbox {inbox: null, source_id: null} without inbox_id, and a random UUID source_id without source_id", async () => {
    const bare = await api.post("/contacts", { name: "No Inbox", identifier: "no-inbox" });
    expect(field(bare.json, "payload", "contact_inbox")).toEqual({ inbox: null, source_id: null });
    const generated = await api.post("/contacts", { name: "Uuid", identifier: "uuid-1", inbox_id: 1 });
    expect(field(generated.json, "payload", "contact_inbox", "source_id")).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it("refuses a duplicate with 422 {message, attributes}, joining several fields' messages, and stores nothing", async () => {
    await api.post("/contacts", { name: "First", identifier: "dup-1", email: "Dup@Example.com" });
    const count = sandbox.contacts().length;
    const one = await api.post("/contacts", { name: "Second", identifier: "dup-1" });
    expect([one.status, one.json]).toEqual([
      422,
      { message: "Identifier has already been taken", attributes: ["identifier"] },
    ]);
    const two = await api.post("/contacts", { name: "Third", identifier: "dup-1", email: "dup@EXAMPLE.com" });
    expect([two.status, two.json]).toEqual([
      422,
      {
        message: "Email has already been taken, Identifier has already been taken",
        attributes: ["email", "identifier"],
      },
    ]);
    expect(sandbox.contacts().length).toBe(count);
    expect(sandbox.contacts().find((c) => c.identifier === "dup-1")?.email).toBe("dup@example.com");
  });

  it("refuses a phone number outside E.164 and a malformed email with 422", async () => {
    const phone = await api.post("/contacts", { name: "P", phone_number: "5512345678" });
    expect([phone.status, phone.json]).toEqual([
      422,
      { message: "Phone number should be in e164 format", attributes: ["phone_number"] },
    ]);
    const email = await api.post("/contacts", { name: "E", email: "not an email" });
    expect([email.status, email.json]).toEqual([422, { message: "Email Invalid email", attributes: ["email"] }]);
  });

  it("answers 500 when the source_id belongs to another contact, and rolls the new contact back", async () => {
    await api.post("/contacts", { name: "Owner", identifier: "owner-1", inbox_id: 1, source_id: "shared-chat" });
    const clash = await api.post("/contacts", {
      name: "Thief",
      identifier: "thief-1",
      inbox_id: 1,
      source_id: "shared-chat",
    });
    expect([clash.status, clash.json]).toEqual([500, { status: 500, error: "Internal Server Error" }]);
    expect(sandbox.contacts().some((c) => c.identifier === "thief-1")).toBe(false);
  });

  it("answers 404 for an unknown inbox_id and rolls the contact back", async () => {
    const answer = await api.post("/contacts", { name: "Lost", identifier: "lost-1", inbox_id: 999 });
    expect([answer.status, answer.json]).toEqual([404, { error: "Resource could not be found" }]);
    expect(sandbox.contacts().some((c) => c.identifier === "lost-1")).toBe(false);
  });
});

describe("finding contacts", () => {
  beforeAll(async () => {
    for (const [name, identifier] of [
      ["Ann", "find-1"],
      ["Ben", "find-10"],
      ["Cid", "Find-2"],
    ])
      await api.post("/contacts", { name, identifier });
    await api.post("/contacts", { name: "Phone Only", phone_number: "+14155550100" });
    await api.post("/contacts", { name: "find-1 nameonly" });
  });

  it("filters identifier equal_to exactly and case-insensitively", async () => {
    expect(identifiers(await filterBy("identifier", "FIND-1"))).toEqual(["find-1"]);
    expect(identifiers(await filterBy("identifier", "find-2"))).toEqual(["Find-2"]);
    const answer = await filterBy("identifier", "find-1");
    expect(field(answer.json, "meta")).toEqual({ count: 1, current_page: 1 });
  });

  it("normalises phone numbers in filters to +digits", async () => {
    const answer = await filterBy("phone_number", "+1 (415) 555-0100");
    expect(items(answer.json, "payload").map((c) => c.name)).toEqual(["Phone Only"]);
  });

  it("joins conditions with AND/OR and refuses any other query_operator with 422 {error}", async () => {
    const either = await api.post("/contacts/filter", {
      payload: [
        { attribute_key: "identifier", filter_operator: "equal_to", values: ["find-1"], query_operator: "OR" },
        { attribute_key: "identifier", filter_operator: "equal_to", values: ["find-10"], query_operator: null },
      ],
    });
    expect(identifiers(either)).toEqual(["find-1", "find-10"]);
    const bad = await api.post("/contacts/filter", {
      payload: [
        { attribute_key: "identifier", filter_operator: "equal_to", values: ["find-1"], query_operator: "XOR" },
        { attribute_key: "identifier", filter_operator: "equal_to", values: ["find-10"], query_operator: null },
      ],
    });
    expect([bad.status, bad.json]).toEqual([422, { error: "Invalid query operator - XOR" }]);
  });

  it("searches identifiers as a case-sensitive substring, so find-1 also finds find-10", async () => {
    const answer = await api.get("/contacts/search?q=find-1");
    expect(identifiers(answer).map(String).sort()).toEqual(["find-1", "find-10"]);
    expect(field(answer.json, "meta")).toEqual({ count: 2, current_page: 1, has_more: false });
    const paged = await api.get("/contacts/search?q=FIND-1&page=1");
    expect(identifiers(paged)).toEqual([]);
    expect(field(paged.json, "meta")).toEqual({ count: 0, current_page: "1", has_more: false });
  });

  it("answers search without q with 422 {error}", async () => {
    const answer = await api.get("/contacts/search");
    expect([answer.status, answer.json]).toEqual([422, { error: "Specify search string with parameter q" }]);
  });

  it("never lists a contact without email, phone or identifier", async () => {
    const listed = await api.get("/contacts");
    expect(items(listed.json, "payload").map((c) => c.name)).not.toContain("find-1 nameonly");
    expect(num(listed.json, "meta", "count")).toBe(
      sandbox.contacts().filter((c) => c.identifier || c.email || c.phoneNumber).length,
    );
  });
});

describe("one contact", () => {
  it("shows and updates (PATCH or PUT) as {payload: contact}, merging custom_attributes", async () => {
    const created = await api.post("/contacts", { name: "Up", identifier: "up-1", custom_attributes: { a: 1 } });
    const id = num(created.json, "payload", "contact", "id");
    const patched = await api.patch(`/contacts/${id}`, { name: "Up Dated", custom_attributes: { b: 2 } });
    expect(field(patched.json, "payload", "custom_attributes")).toEqual({ a: 1, b: 2 });
    const put = await api.call("PUT", `/contacts/${id}`, { email: "up@example.com" });
    expect(field(put.json, "payload", "email")).toBe("up@example.com");
    const shown = await api.get(`/contacts/${id}`);
    expect([field(shown.json, "payload", "name"), field(shown.json, "payload", "contact_inboxes")]).toEqual([
      "Up Dated",
      [],
    ]);
    const clash = await api.patch(`/contacts/${id}`, { identifier: "find-1" });
    expect([clash.status, clash.json]).toEqual([
      422,
      { message: "Identifier has already been taken", attributes: ["identifier"] },
    ]);
    expect((await api.get("/contacts/424242")).status).toBe(404);
  });

  it("creates contact_inboxes idempotently per source_id and answers 500 for another contact's source_id", async () => {
    const a = num((await api.post("/contacts", { name: "A", identifier: "ci-a" })).json, "payload", "contact", "id");
    const b = num((await api.post("/contacts", { name: "B", identifier: "ci-b" })).json, "payload", "contact", "id");
    const first = await api.post(`/contacts/${a}/contact_inboxes`, { inbox_id: 1, source_id: "ci-chat" });
    expect(shapeDiff(contractInlineExample('* **Response 200:** `{"source_id"'), first.json)).toEqual([]);
    const again = await api.post(`/contacts/${a}/contact_inboxes`, { inbox_id: 1, source_id: "ci-chat" });
    expect([again.status, again.json]).toEqual([200, first.json]);
    expect(sandbox.contactInboxes().filter((ci) => ci.contactId === a)).toHaveLength(1);
    const stolen = await api.post(`/contacts/${b}/contact_inboxes`, { inbox_id: 1, source_id: "ci-chat" });
    expect([stolen.status, stolen.json]).toEqual([500, { status: 500, error: "Internal Server Error" }]);
    expect((await api.post(`/contacts/${a}/contact_inboxes`, { inbox_id: 77 })).status).toBe(404);
  });

  it("lists a contact's conversations newest activity first, at most 20", async () => {
    const { contactId, conversationId: older } = await seedConversation(api, "many");
    const ids = [older];
    for (let i = 0; i < 21; i += 1) {
      const created = await api.post("/conversations", {
        inbox_id: 1,
        contact_id: contactId,
        source_id: "ext-chat-many",
      });
      ids.push(num(created.json, "id"));
    }
    await api.post(`/conversations/${older}/messages`, { content: "bump", message_type: "incoming" });
    const listed = items((await api.get(`/contacts/${contactId}/conversations`)).json, "payload");
    expect(listed.map((c) => c.id)).toEqual([older, ...ids.slice(3).reverse()]);
  });
});
