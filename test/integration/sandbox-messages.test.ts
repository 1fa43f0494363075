// Messages in the sandbox follow CONTRACT.md §2.5: create (defaults, 422 `{error}`, attachments as
// redirecting data_urls, flood guard), the list windows, status transitions, delete and retry.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type Sandbox } from "../../dev/sandbox/server.js";
import { field, items, num, sandboxApi, seedConversation, type SandboxApi } from "../support/sandbox-api.js";
import { shapeDiff } from "../support/shape-compare.js";
import { contractExample } from "../support/shape-contract.js";

let sandbox: Sandbox;
let api: SandboxApi;
beforeAll(async () => {
  sandbox = await startSandbox();
  api = sandboxApi(sandbox);
});
afterAll(async () => sandbox.close());

const messagesPath = (conversationId: number) => `/conversations/${conversationId}/messages`;
const ids = (answer: { json: unknown }) => items(answer.json, "payload").map((m) => m.id);

describe("POST …/messages", () => {
  it("answers the _message view shaped like CONTRACT.md's example: integer message_type, unix created_at, echo_id", async () => {
    const { conversationId } = await seedConversation(api, "create-shape");
    const answer = await api.post(messagesPath(conversationId), {
      content: "Hola",
      message_type: "incoming",
      source_id: "EXT-MSG-1",
      echo_id: "br-7f3c",
    });
    expect(answer.status).toBe(200);
    expect(
      shapeDiff(contractExample("* **Response 200** (`app/views/api/v1/models/_message.json.jbuilder`)"), answer.json),
    ).toEqual([]);
    expect([
      field(answer.json, "message_type"),
      field(answer.json, "echo_id"),
      field(answer.json, "source_id"),
    ]).toEqual([0, "br-7f3c", "EXT-MSG-1"]);
  });

  it("defaults message_type to outgoing, sent by the token's user", async () => {
    const { conversationId } = await seedConversation(api, "default-type");
    const answer = await api.post(messagesPath(conversationId), { content: "no type given" });
    expect([
      field(answer.json, "message_type"),
      field(answer.json, "sender", "type"),
      field(answer.json, "sender", "id"),
    ]).toEqual([1, "user", 1]);
  });

  it("answers every failure with 422 {error} and stores nothing", async () => {
    const { conversationId } = await seedConversation(api, "bad-type");
    const before = sandbox.messages(conversationId).length;
    const answer = await api.post(messagesPath(conversationId), { content: "x", message_type: "bogus" });
    expect([answer.status, answer.json]).toEqual([422, { error: "'bogus' is not a valid message_type" }]);
    const badType = await api.post(messagesPath(conversationId), { content: "x", content_type: "hologram" });
    expect([badType.status, badType.json]).toEqual([422, { error: "'hologram' is not a valid content_type" }]);
    expect(sandbox.messages(conversationId).length).toBe(before);
    expect((await api.post(messagesPath(424242), { content: "x" })).status).toBe(404);
  });

  it("stores content_attributes sent as a JSON string, arbitrary keys included, plus external_created_at", async () => {
    const { conversationId } = await seedConversation(api, "attrs");
    const form = new FormData();
    form.append("content", "with attributes");
    form.append("content_attributes", JSON.stringify({ bridge_origin: "external", external_echo: true }));
    form.append("external_created_at", "1781964100");
    const answer = await api.post(messagesPath(conversationId), undefined, { form });
    expect(field(answer.json, "content_attributes")).toEqual({
      bridge_origin: "external",
      external_echo: true,
      external_created_at: "1781964100",
    });
  });

  it("keeps uploaded files, typed by MIME, behind a data_url that redirects to the bytes", async () => {
    const { conversationId } = await seedConversation(api, "files");
    const form = new FormData();
    form.append("content", "two files");
    form.append("attachments[]", new Blob([new Uint8Array([1, 2, 3, 4])], { type: "image/png" }), "photo.png");
    form.append("attachments[]", new Blob(["%PDF-1.4"], { type: "application/pdf" }), "invoice.pdf");
    const answer = await api.post(messagesPath(conversationId), undefined, { form });
    const [photo, pdf] = items(answer.json, "attachments");
    expect([photo?.file_type, photo?.extension, photo?.content_type, photo?.file_size]).toEqual([
      "image",
      "png",
      "image/png",
      4,
    ]);
    expect([pdf?.file_type, pdf?.extension, pdf?.thumb_url, pdf?.width, pdf?.height]).toEqual([
      "file",
      "pdf",
      "",
      null,
      null,
    ]);
    const redirect = await fetch(String(photo?.data_url), { redirect: "manual" });
    expect(redirect.status).toBe(302);
    const bytes = await fetch(String(redirect.headers.get("location")));
    expect([bytes.status, bytes.headers.get("content-type")]).toEqual([200, "image/png"]);
    expect([...new Uint8Array(await bytes.arrayBuffer())]).toEqual([1, 2, 3, 4]);
    const followed = await fetch(String(pdf?.data_url));
    expect(await followed.text()).toBe("%PDF-1.4");
  });

  it("refuses more than 15 attachments with 422", async () => {
    const { conversationId } = await seedConversation(api, "too-many-files");
    const form = new FormData();
    for (let i = 0; i < 16; i += 1) form.append("attachments[]", new Blob(["x"], { type: "text/plain" }), `f${i}.txt`);
    const answer = await api.post(messagesPath(conversationId), undefined, { form });
    expect([answer.status, answer.json]).toEqual([
      422,
      { error: "Validation failed: Attachments exceeded maximum limit of 15" },
    ]);
  });

  it("refuses the 201st message in a conversation within a minute: 422 Validation failed: Too many messages", async () => {
    const { conversationId } = await seedConversation(api, "flood");
    const statuses: number[] = [];
    for (let batch = 0; batch < 10; batch += 1) {
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          api.post(messagesPath(conversationId), { content: `m${batch}-${i}`, message_type: "incoming" }),
        ),
      );
      statuses.push(...answers.map((a) => a.status));
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(199);
    const refused = statuses.filter((s) => s === 422);
    expect(refused).toHaveLength(1);
    const again = await api.post(messagesPath(conversationId), { content: "more", message_type: "incoming" });
    expect([again.status, again.json]).toEqual([422, { error: "Validation failed: Too many messages" }]);
    expect(sandbox.messages(conversationId)).toHaveLength(200);
  });
});

describe("GET …/messages", () => {
  let conversationId = 0;
  let all: number[] = [];
  beforeAll(async () => {
    ({ conversationId } = await seedConversation(api, "paging"));
    for (let i = 0; i < 129; i += 1)
      await api.post(messagesPath(conversationId), { content: `p${i}`, message_type: "incoming" });
    all = sandbox.messages(conversationId).map((m) => m.id);
  });

  it("lists the latest 20 oldest first, or the 20 before a message id", async () => {
    expect(all).toHaveLength(130);
    expect(ids(await api.get(messagesPath(conversationId)))).toEqual(all.slice(-20));
    expect(ids(await api.get(`${messagesPath(conversationId)}?before=${all[50]}`))).toEqual(all.slice(30, 50));
  });

  it("lists up to 100 after a message id, and up to 1000 between after and before", async () => {
    expect(ids(await api.get(`${messagesPath(conversationId)}?after=${all[5]}`))).toEqual(all.slice(6, 106));
    expect(ids(await api.get(`${messagesPath(conversationId)}?after=${all[5]}&before=${all[125]}`))).toEqual(
      all.slice(6, 125),
    );
  });

  it("answers meta with labels, additional_attributes, contact push data and ISO last-seen times", async () => {
    const answer = await api.get(messagesPath(conversationId));
    expect(Object.keys(field(answer.json, "meta") as object)).toEqual([
      "labels",
      "additional_attributes",
      "contact",
      "agent_last_seen_at",
      "assignee_last_seen_at",
    ]);
    expect(field(answer.json, "meta", "contact", "type")).toBe("contact");
  });
});

describe("status, delete and retry", () => {
  it("applies valid status transitions, ignores read → delivered and unknown statuses with 200, keeps external_error only with failed", async () => {
    const { conversationId } = await seedConversation(api, "status");
    const reply = sandbox.reply(conversationId, "deliver me");
    const path = `${messagesPath(conversationId)}/${reply.id}`;
    await sandbox.webhooksIdle();
    const updatesBefore = sandbox.webhookLog().filter((e) => e.event === "message_updated").length;
    const steps: Array<[string, string | undefined]> = [
      ["delivered", "ignored"],
      ["read", undefined],
      ["delivered", undefined],
      ["exploded", undefined],
      ["failed", "Recipient blocked"],
    ];
    const seen: unknown[] = [];
    for (const [status, externalError] of steps) {
      const answer = await api.patch(path, { status, external_error: externalError });
      seen.push([answer.status, field(answer.json, "status"), field(answer.json, "content_attributes")]);
    }
    expect(seen).toEqual([
      [200, "delivered", {}],
      [200, "read", {}],
      [200, "read", {}],
      [200, "read", {}],
      [200, "failed", { external_error: "Recipient blocked" }],
    ]);
    await sandbox.webhooksIdle();
    expect(sandbox.webhookLog().filter((e) => e.event === "message_updated").length - updatesBefore).toBe(3);
  });

  it("soft-deletes: fixed content, content_attributes {deleted: true}, attachments and their bytes gone", async () => {
    const { conversationId } = await seedConversation(api, "delete");
    const reply = sandbox.reply(conversationId, "secret", {
      attachments: [{ filename: "a.txt", contentType: "text/plain", data: new Uint8Array([65]) }],
    });
    const listed = items((await api.get(messagesPath(conversationId))).json, "payload").find((m) => m.id === reply.id);
    const dataUrl = String(field(listed, "attachments", 0, "data_url"));
    const answer = await api.del(`${messagesPath(conversationId)}/${reply.id}`);
    expect([
      field(answer.json, "content"),
      field(answer.json, "content_type"),
      field(answer.json, "content_attributes"),
    ]).toEqual(["This message was deleted", "text", { deleted: true }]);
    expect(field(answer.json, "attachments")).toBeUndefined();
    expect((await fetch(dataUrl)).status).toBe(404);
  });

  it("retries through the API: status sent and content_attributes cleared", async () => {
    const { conversationId } = await seedConversation(api, "api-retry");
    const reply = sandbox.reply(conversationId, "retry");
    await api.patch(`${messagesPath(conversationId)}/${reply.id}`, { status: "failed", external_error: "boom" });
    const answer = await api.post(`${messagesPath(conversationId)}/${reply.id}/retry`);
    expect([field(answer.json, "status"), field(answer.json, "content_attributes")]).toEqual(["sent", {}]);
    expect((await api.post(`${messagesPath(conversationId)}/1/retry`)).status).toBe(404);
  });

  it("reopens resolved and snoozed conversations on an incoming message but leaves pending ones pending", async () => {
    const results: string[] = [];
    for (const status of ["resolved", "snoozed", "pending"] as const) {
      const { conversationId } = await seedConversation(api, `reopen-${status}`);
      await api.post(`/conversations/${conversationId}/toggle_status`, { status });
      await api.post(messagesPath(conversationId), { content: "back", message_type: "incoming" });
      results.push(String(field((await api.get(`/conversations/${conversationId}`)).json, "status")));
      await api.post(messagesPath(conversationId), { content: "an outgoing one reopens nothing" });
    }
    expect(results).toEqual(["open", "open", "pending"]);
    expect(num((await api.get("/conversations?status=pending")).json, "data", "meta", "all_count")).toBe(1);
  });
});
