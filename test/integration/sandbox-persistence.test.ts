// The sandbox's data file keeps its records, id sequences, tokens and secret across a restart (so the
// bridge's saved mappings still point at the same Chatwoot records), and DELETE /contacts/:id removes a
// contact with everything hanging off it, as contacts#destroy does.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { runCli } from "../../dev/sandbox/cli-commands.js";
import { startSandbox, type Sandbox } from "../../dev/sandbox/server.js";
import { startTestBridge, type TestBridge } from "../support/bridge.js";
import { field, items, num, sandboxApi, seedConversation } from "../support/sandbox-api.js";

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const handle of open.splice(0).reverse()) await handle.close();
});

const tempFile = () => join(mkdtempSync(join(tmpdir(), "cwb-sandbox-")), "sandbox.json");
const start = async (dataFile?: string): Promise<Sandbox> => {
  const sandbox = await startSandbox(dataFile === undefined ? {} : { dataFile });
  open.push(sandbox);
  return sandbox;
};
const maxId = (records: Array<{ id: number }>) => Math.max(...records.map((record) => record.id));
const bytesAt = async (url: string) => new Uint8Array(await (await fetch(url)).arrayBuffer());
const filterIdentifier = (sandbox: Sandbox, identifier: string) =>
  sandboxApi(sandbox).post("/contacts/filter", {
    payload: [{ attribute_key: "identifier", filter_operator: "equal_to", values: [identifier], query_operator: null }],
  });
const PDF = new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d, 0x31, 0x2e, 0x37, 0x0a, 0x00, 0xff]);

describe("the data file", () => {
  it("brings back contacts, contact_inboxes, conversations, messages, attachment bytes, tokens and secret after close and restart", async () => {
    const dataFile = tempFile();
    const first = await start(dataFile);
    const ids = await seedConversation(sandboxApi(first), "persist");
    const reply = first.reply(ids.conversationId, "Here is the invoice", {
      attachments: [{ filename: "invoice.pdf", contentType: "application/pdf", data: PDF }],
    });
    const before = {
      contact: (await sandboxApi(first).get(`/contacts/${ids.contactId}`)).json,
      conversation: (await sandboxApi(first).get(`/conversations/${ids.conversationId}`)).text.replaceAll(
        first.url,
        "BASE",
      ),
      messages: (await sandboxApi(first).get(`/conversations/${ids.conversationId}/messages`)).text.replaceAll(
        first.url,
        "BASE",
      ),
      tokens: [first.apiToken, first.agentApiToken, first.webhookSecret],
      records: {
        contacts: first.contacts(),
        contactInboxes: first.contactInboxes(),
        conversations: first.conversations(),
        messages: first.messages(),
        attachments: first.attachments(),
      },
    };
    const dataUrl = String(
      field(
        items((await sandboxApi(first).get(`/conversations/${ids.conversationId}/messages`)).json, "payload").at(-1),
        "attachments",
        0,
        "data_url",
      ),
    );
    await first.close();

    const second = await start(dataFile);
    const api = sandboxApi(second);
    expect([second.apiToken, second.agentApiToken, second.webhookSecret]).toEqual(before.tokens);
    expect({
      contacts: second.contacts(),
      contactInboxes: second.contactInboxes(),
      conversations: second.conversations(),
      messages: second.messages(),
      attachments: second.attachments(),
    }).toEqual(before.records);
    expect((await api.get(`/contacts/${ids.contactId}`)).json).toEqual(before.contact);
    expect((await api.get(`/conversations/${ids.conversationId}`)).text.replaceAll(second.url, "BASE")).toBe(
      before.conversation,
    );
    expect((await api.get(`/conversations/${ids.conversationId}/messages`)).text.replaceAll(second.url, "BASE")).toBe(
      before.messages,
    );
    // The link handed out before the restart still serves the same bytes (the signing key is kept).
    expect(await bytesAt(dataUrl.replace(/^http:\/\/[^/]+/, second.url))).toEqual(PDF);
    expect(second.messages().find((message) => message.id === reply.id)?.content).toBe("Here is the invoice");
  });

  it("continues every id sequence after a restart, so no id is handed out twice", async () => {
    const dataFile = tempFile();
    const first = await start(dataFile);
    const old = await seedConversation(sandboxApi(first), "seq-old");
    first.reply(old.conversationId, "file", {
      attachments: [{ filename: "a.txt", contentType: "text/plain", data: new Uint8Array([65]) }],
    });
    const last = {
      contact: maxId(first.contacts()),
      contactInbox: maxId(first.contactInboxes()),
      conversation: maxId(first.conversations()),
      message: maxId(first.messages()),
      attachment: maxId(first.attachments()),
    };
    await first.close();

    const second = await start(dataFile);
    const fresh = await seedConversation(sandboxApi(second), "seq-new");
    second.reply(fresh.conversationId, "file", {
      attachments: [{ filename: "b.txt", contentType: "text/plain", data: new Uint8Array([66]) }],
    });
    expect(fresh.contactId).toBe(last.contact + 1);
    expect(maxId(second.contactInboxes())).toBe(last.contactInbox + 1);
    expect(maxId(second.conversations())).toBe(last.conversation + 1);
    expect(fresh.conversationId).toBe(old.conversationId + 1);
    expect(fresh.messageId).toBe(last.message + 1);
    expect(maxId(second.attachments())).toBe(last.attachment + 1);
  });

  it("writes the file on its own shortly after a change, and saved() resolves once the change is on disk", async () => {
    const dataFile = tempFile();
    const sandbox = await start(dataFile);
    expect(existsSync(dataFile)).toBe(false);
    await sandboxApi(sandbox).post("/contacts", { name: "Background", identifier: "ext-user-bg" });
    // The save runs 200 ms after the change; the generous cap only matters on a machine too busy to run it then.
    await vi.waitFor(() => expect(existsSync(dataFile)).toBe(true), { timeout: 15_000, interval: 20 });

    const ids = await seedConversation(sandboxApi(sandbox), "saved");
    await sandbox.saved();
    // An agent action, with no request behind it, is saved too.
    sandbox.note(ids.conversationId, "a private note");
    await sandbox.saved();
    const file: unknown = JSON.parse(readFileSync(dataFile, "utf8"));
    expect(items(file, "contacts").map((contact) => contact.identifier)).toEqual(["ext-user-bg", "ext-user-saved"]);
    expect(items(file, "messages").map((message) => message.content)).toEqual([
      "Hola, necesito ayuda",
      "a private note",
    ]);
    expect(num(file, "version")).toBe(1);
  });

  it("refuses to start on a file that does not parse, naming it, and leaves the file as it was", async () => {
    const dataFile = tempFile();
    writeFileSync(dataFile, "{ not json");
    await expect(startSandbox({ dataFile })).rejects.toThrow(`The sandbox data file ${dataFile} is not valid JSON`);
    writeFileSync(dataFile, JSON.stringify({ version: 1, contacts: [] }));
    await expect(startSandbox({ dataFile })).rejects.toThrow(
      `The sandbox data file ${dataFile} is not a valid version 1 sandbox file`,
    );
    expect(readFileSync(dataFile, "utf8")).toBe(JSON.stringify({ version: 1, contacts: [] }));
  });

  it("keeps a deleted contact deleted after a restart, and never reuses its id", async () => {
    const dataFile = tempFile();
    const first = await start(dataFile);
    const gone = await seedConversation(sandboxApi(first), "gone");
    first.deleteContact(gone.contactId);
    await first.close();

    const second = await start(dataFile);
    expect([second.contacts(), second.conversations(), second.messages()]).toEqual([[], [], []]);
    const next = await seedConversation(sandboxApi(second), "next");
    expect([next.contactId, next.conversationId]).toEqual([gone.contactId + 1, gone.conversationId + 1]);
  });
});

describe("DELETE /contacts/:id", () => {
  it("removes the contact, its contact_inboxes, conversations, messages and attachments with an empty 200; other contacts stay", async () => {
    const sandbox = await start();
    const api = sandboxApi(sandbox);
    const gone = await seedConversation(api, "del-a");
    const kept = await seedConversation(api, "del-b");
    sandbox.reply(gone.conversationId, "file", {
      attachments: [{ filename: "a.pdf", contentType: "application/pdf", data: PDF }],
    });
    const dataUrl = String(
      field(
        items((await api.get(`/conversations/${gone.conversationId}/messages`)).json, "payload").at(-1),
        "attachments",
        0,
        "data_url",
      ),
    );
    const keptBefore = {
      conversations: sandbox.conversations().filter((c) => c.contactId === kept.contactId),
      messages: sandbox.messages(kept.conversationId),
    };

    const answer = await api.del(`/contacts/${gone.contactId}`);
    expect([answer.status, answer.text]).toEqual([200, ""]);
    expect((await api.get(`/contacts/${gone.contactId}`)).status).toBe(404);
    expect(num((await filterIdentifier(sandbox, "ext-user-del-a")).json, "meta", "count")).toBe(0);
    expect(num((await api.get("/contacts/search?q=del-a")).json, "meta", "count")).toBe(0);
    expect((await api.get(`/conversations/${gone.conversationId}`)).status).toBe(404);
    expect(items((await api.get("/conversations?status=all")).json, "data", "payload").map((c) => c.id)).toEqual([
      kept.conversationId,
    ]);
    expect(sandbox.contactInboxes().map((record) => record.contactId)).toEqual([kept.contactId]);
    expect(sandbox.attachments()).toEqual([]);
    expect((await fetch(dataUrl)).status).toBe(404);
    expect(sandbox.contacts().map((contact) => contact.id)).toEqual([kept.contactId]);
    expect({ conversations: sandbox.conversations(), messages: sandbox.messages() }).toEqual(keptBefore);
    expect(sandbox.calls()["DELETE /contacts/:id"]).toBe(1);
  });

  it("answers 404 for an unknown id, and 401 without a token or for an agent, deleting nothing", async () => {
    const sandbox = await start();
    const api = sandboxApi(sandbox);
    const ids = await seedConversation(api, "refused");
    const unknown = await api.del("/contacts/999999");
    expect([unknown.status, unknown.json]).toEqual([404, { error: "Resource could not be found" }]);
    const anonymous = await api.del(`/contacts/${ids.contactId}`, { token: null });
    expect([anonymous.status, anonymous.json]).toEqual([
      401,
      { errors: ["You need to sign in or sign up before continuing."] },
    ]);
    // ContactPolicy#destroy? is checked before the lookup, so an agent gets 401 even for an unknown id.
    for (const id of [ids.contactId, 999999]) {
      const agent = await api.del(`/contacts/${id}`, { token: sandbox.agentApiToken });
      expect([agent.status, agent.json]).toEqual([401, { error: "You are not authorized to do this action" }]);
    }
    expect([sandbox.contacts().length, sandbox.conversations().length, sandbox.messages().length]).toEqual([1, 1, 1]);
  });

  it("is the sandbox's deleteContact() and the CLI's delete-contact, which answer an unknown id with not found", async () => {
    const sandbox = await start();
    const api = sandboxApi(sandbox);
    const one = await seedConversation(api, "cli-1");
    const two = await seedConversation(api, "cli-2");
    const printed: string[] = [];
    const cli = (...argv: string[]) => runCli(argv, { baseUrl: sandbox.url, print: (line) => printed.push(line) });
    expect(await cli("delete-contact", String(one.contactId))).toBe(0);
    expect(sandbox.contacts().map((contact) => contact.id)).toEqual([two.contactId]);
    expect(await cli("delete-contact", String(one.contactId))).toBe(1);
    expect(JSON.parse(printed.at(-1) ?? "")).toEqual({ error: `contact ${one.contactId} not found` });
    sandbox.deleteContact(two.contactId);
    expect([sandbox.contacts(), sandbox.conversations(), sandbox.messages()]).toEqual([[], [], []]);
    expect(() => sandbox.deleteContact(two.contactId)).toThrow(`contact ${two.contactId} not found`);
  });
});

describe("the local bridge across a restart on the same DATA_DIR", () => {
  it("posts a known user's next message into the same Chatwoot conversation with 1 call, and gives a new user a new contact id", async () => {
    const first: TestBridge = await startTestBridge();
    open.push(first);
    const hello = await first.api("POST", "/messages", {
      user_id: "restart-1",
      message_id: "m-1",
      content: "Hello before",
    });
    expect(hello.status).toBe(201);
    await first.close();
    open.splice(open.indexOf(first), 1);

    const second = await startTestBridge({ DATA_DIR: first.dataDir });
    open.push(second);
    const sandbox = second.bridge.sandbox;
    if (sandbox === undefined) throw new Error("sandbox expected");
    const again = await second.api("POST", "/messages", {
      user_id: "restart-1",
      message_id: "m-2",
      content: "Hello after",
    });
    expect(again.status).toBe(201);
    expect([num(again.body, "conversation_id"), num(again.body, "contact_id")]).toEqual([
      num(hello.body, "conversation_id"),
      num(hello.body, "contact_id"),
    ]);
    expect(sandbox.calls()).toEqual({ "POST /conversations/:id/messages": 1 });
    expect(sandbox.messages(num(hello.body, "conversation_id")).map((message) => message.content)).toEqual([
      "Hello before",
      "Hello after",
    ]);

    const other = await second.api("POST", "/messages", {
      user_id: "restart-2",
      message_id: "m-1",
      content: "New here",
    });
    expect(other.status).toBe(201);
    expect(num(other.body, "contact_id")).toBe(num(hello.body, "contact_id") + 1);
    expect(num(other.body, "conversation_id")).toBe(num(hello.body, "conversation_id") + 1);
  });
});
