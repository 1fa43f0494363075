// Exactly once with attachments (issue #7 §4): a replay or a retry after an ambiguous timeout never uploads the
// files again, and a retry that finds the message in its mapped conversation does not even download them again.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startTestBridge, type TestBridge, sandboxOf } from "../support/bridge.js";
import { chatwootReader } from "../support/chatwoot-reader.js";
import { startFileServer, type FileServer } from "../support/file-server.js";

let t: TestBridge;
let files: FileServer;
let cw: ReturnType<typeof chatwootReader>;
beforeAll(async () => {
  files = await startFileServer();
  t = await startTestBridge({ BRIDGE_ATTACHMENT_ALLOW_HOSTS: "127.0.0.1", CHATWOOT_TIMEOUT_MS: "400" });
  if (!t.bridge.sandbox) throw new Error("sandbox expected");
  cw = chatwootReader(t.bridge.sandbox);
});
afterAll(async () => Promise.all([t.close(), files.close()]));
afterEach(() => t.bridge.sandbox?.clearFaults());

const sandbox = () => sandboxOf(t);
const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3, 4]);
const inline = {
  data: Buffer.from("%PDF-1.4 receipt").toString("base64"),
  filename: "receipt.pdf",
  content_type: "application/pdf",
};

/** How many files Chatwoot holds for the messages of this conversation. */
const uploadsIn = (conversationId: number) => {
  const ids = new Set(
    sandbox()
      .messages(conversationId)
      .map((m) => m.id),
  );
  return sandbox()
    .attachments()
    .filter((a) => ids.has(a.messageId)).length;
};
const conversationOf = async (userId: string) =>
  ((await t.api("GET", `/contacts/${userId}`)).body as { conversation_id: number }).conversation_id;

describe("a replayed message with attachments", () => {
  it("answers 200 duplicate from the record: no download, no Chatwoot call", async () => {
    files.route("/replay.png", { kind: "file", contentType: "image/png", body: png });
    const body = { user_id: "idem-1", message_id: "m-1", attachments: [{ url: `${files.url}/replay.png` }, inline] };
    const first = await t.api("POST", "/messages", body);
    expect(first.status).toBe(201);
    files.resetHits();
    sandbox().resetCalls();
    const replay = await t.api("POST", "/messages", body);
    expect([replay.status, replay.body]).toEqual([200, { ...(first.body as object), duplicate: true }]);
    expect([sandbox().calls(), files.hits()]).toEqual([{}, 0]);
    expect(uploadsIn(await conversationOf("idem-1"))).toBe(2);
  });

  it("answers 409 when the message_id comes back with another attachment, without downloading it", async () => {
    files.route("/one.png", { kind: "file", contentType: "image/png", body: png });
    await t.api("POST", "/messages", {
      user_id: "idem-2",
      message_id: "m-1",
      attachments: [{ url: `${files.url}/one.png` }],
    });
    files.resetHits();
    sandbox().resetCalls();
    const other = await t.api("POST", "/messages", {
      user_id: "idem-2",
      message_id: "m-1",
      attachments: [{ url: `${files.url}/one.png`, filename: "renamed.png" }],
    });
    expect(other.status).toBe(409);
    expect([sandbox().calls(), files.hits()]).toEqual([{}, 0]);
  });
});

describe("a retry after an ambiguous timeout", () => {
  it("finds the stored message by source_id: one GET, no download, no second upload", async () => {
    files.route("/amb.png", { kind: "file", contentType: "image/png", body: png });
    await t.api("POST", "/messages", { user_id: "amb-files-1", message_id: "m-0", content: "warm up" });
    const conversationId = await conversationOf("amb-files-1");
    sandbox().addFault({ route: "POST /conversations/:id/messages", kind: "hang", times: 1 });
    const body = {
      user_id: "amb-files-1",
      message_id: "m-1",
      content: "the photo",
      attachments: [{ url: `${files.url}/amb.png` }, inline],
    };
    const first = await t.api("POST", "/messages", body);
    expect([first.status, (first.body as { error: { code: string } }).error.code]).toEqual([504, "chatwoot_timeout"]);
    expect(uploadsIn(conversationId)).toBe(2);

    sandbox().resetCalls();
    files.resetHits();
    const retry = await t.api("POST", "/messages", body);
    expect([retry.status, (retry.body as { duplicate: boolean }).duplicate]).toEqual([200, true]);
    expect(sandbox().calls()).toEqual({ "GET /conversations/:id/messages": 1 });
    expect(files.hits()).toBe(0);
    expect(uploadsIn(conversationId)).toBe(2);
    expect((await cw.messagesOf(conversationId)).map((m) => [m.content, m.attachments?.length ?? 0])).toEqual([
      ["warm up", 0],
      ["the photo", 2],
    ]);
  });

  it("recovers a new user's first message whose conversation create timed out, uploading its files once", async () => {
    files.route("/first.png", { kind: "file", contentType: "image/png", body: png });
    sandbox().addFault({ route: "POST /conversations", kind: "hang", times: 1 });
    const body = { user_id: "amb-files-2", message_id: "m-1", attachments: [{ url: `${files.url}/first.png` }] };
    expect((await t.api("POST", "/messages", body)).status).toBe(504);
    const retry = await t.api("POST", "/messages", body);
    expect([retry.status, (retry.body as { duplicate: boolean }).duplicate]).toEqual([200, true]);
    const conversationId = (retry.body as { conversation_id: number }).conversation_id;
    expect(sandbox().messages(conversationId)).toHaveLength(1);
    expect(uploadsIn(conversationId)).toBe(1);
  });

  it("keeps the record unknown when the retry's download fails, so a later retry still finds the message", async () => {
    files.route("/flaky.png", { kind: "file", contentType: "image/png", body: png });
    sandbox().addFault({ route: "POST /conversations", kind: "hang", times: 1 });
    const body = { user_id: "amb-files-3", message_id: "m-1", attachments: [{ url: `${files.url}/flaky.png` }] };
    expect((await t.api("POST", "/messages", body)).status).toBe(504);
    // The file host fails while the client retries: the message may already be in Chatwoot, so nothing is forgotten.
    files.route("/flaky.png", { kind: "status", status: 503 });
    expect((await t.api("POST", "/messages", body)).status).toBe(400);
    files.route("/flaky.png", { kind: "file", contentType: "image/png", body: png });
    const retry = await t.api("POST", "/messages", body);
    expect([retry.status, (retry.body as { duplicate: boolean }).duplicate]).toEqual([200, true]);
    const conversationId = (retry.body as { conversation_id: number }).conversation_id;
    expect([sandbox().messages(conversationId).length, uploadsIn(conversationId)]).toEqual([1, 1]);
  });
});
