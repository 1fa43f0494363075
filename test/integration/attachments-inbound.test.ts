// Users' files into Chatwoot end to end (issue #7): downloaded from a local file host (allow-listed 127.0.0.1),
// sent as multipart in the call that creates the message, and every refusal answered before Chatwoot is called.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestBridge, type TestBridge } from "../support/bridge.js";
import { chatwootReader } from "../support/chatwoot-reader.js";
import { startFileServer, type FileServer } from "../support/file-server.js";

let t: TestBridge;
let files: FileServer;
let cw: ReturnType<typeof chatwootReader>;
beforeAll(async () => {
  files = await startFileServer();
  t = await startTestBridge({ BRIDGE_ATTACHMENT_ALLOW_HOSTS: "127.0.0.1" });
  if (!t.bridge.sandbox) throw new Error("sandbox expected");
  cw = chatwootReader(t.bridge.sandbox);
});
afterAll(async () => Promise.all([t.close(), files.close()]));

const MB = 1024 * 1024;
const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 7, 7]);
const pdf = new TextEncoder().encode("%PDF-1.4\n% a tiny invoice\n%%EOF\n");
const mp3 = new Uint8Array([0x49, 0x44, 0x33, 3, 0, 0, 0, 0, 1, 2, 3]);
const calls = () => t.bridge.sandbox?.calls() ?? {};
const reset = () => t.bridge.sandbox?.resetCalls();

interface Stored {
  fileType: unknown;
  contentType: unknown;
  filename: string;
  bytes: Uint8Array;
}

/** The message's attachments as Chatwoot serves them: fetched through data_url, following its redirect. */
async function storedFiles(conversationId: number, chatwootMessageId: number): Promise<Stored[]> {
  const message = (await cw.messagesOf(conversationId)).find((m) => m.id === chatwootMessageId);
  return Promise.all(
    (message?.attachments ?? []).map(async (a) => {
      const url = String(a.data_url);
      return {
        fileType: a.file_type,
        contentType: a.content_type,
        filename: decodeURIComponent(new URL(url).pathname.split("/").pop() ?? ""),
        bytes: new Uint8Array(await (await fetch(url)).arrayBuffer()),
      };
    }),
  );
}

interface Posted {
  chatwoot_message_id: number;
  conversation_id: number;
}

describe("files reach Chatwoot in the call that creates the message", () => {
  it("downloads an image, a PDF and an audio file for a new user's first message: 2 calls, bytes intact", async () => {
    files.route("/u1/photo.png", { kind: "file", contentType: "image/png", body: png });
    files.route("/u1/doc", { kind: "file", contentType: "application/pdf", body: pdf });
    files.route("/u1/voice.mp3", { kind: "file", body: mp3 });
    reset();
    const answer = await t.api("POST", "/messages", {
      user_id: "files-1",
      message_id: "m-1",
      content: "my order, see attached",
      attachments: [
        { url: `${files.url}/u1/photo.png` },
        { url: `${files.url}/u1/doc`, filename: "invoice.pdf" },
        { url: `${files.url}/u1/voice.mp3`, content_type: "audio/mpeg" },
      ],
    });
    expect(answer.status).toBe(201);
    expect(calls()).toEqual({ "POST /contacts": 1, "POST /conversations": 1 });
    const posted = answer.body as Posted;
    expect(await storedFiles(posted.conversation_id, posted.chatwoot_message_id)).toEqual([
      { fileType: "image", contentType: "image/png", filename: "photo.png", bytes: png },
      { fileType: "file", contentType: "application/pdf", filename: "invoice.pdf", bytes: pdf },
      { fileType: "audio", contentType: "audio/mpeg", filename: "voice.mp3", bytes: mp3 },
    ]);
  });

  it("sends inline base64 files and URLs together, in order, in one message create for a known user", async () => {
    await t.api("POST", "/messages", { user_id: "files-2", message_id: "warm", content: "hi" });
    files.route("/u2/b.png", { kind: "file", contentType: "image/png", body: png });
    reset();
    const answer = await t.api("POST", "/messages", {
      user_id: "files-2",
      message_id: "m-2",
      content: "two files",
      attachments: [
        { data: Buffer.from(pdf).toString("base64"), filename: "a.pdf", content_type: "application/pdf" },
        { url: `${files.url}/u2/b.png` },
      ],
    });
    expect(answer.status).toBe(201);
    expect(calls()).toEqual({ "POST /conversations/:id/messages": 1 });
    const posted = answer.body as Posted;
    expect(
      (await storedFiles(posted.conversation_id, posted.chatwoot_message_id)).map((f) => [f.filename, f.bytes]),
    ).toEqual([
      ["a.pdf", pdf],
      ["b.png", png],
    ]);
  });

  it("posts an attachment-only message (no content)", async () => {
    await t.api("POST", "/messages", { user_id: "files-3", message_id: "warm", content: "hi" });
    files.route("/u3/only.png", { kind: "file", contentType: "image/png", body: png });
    reset();
    const answer = await t.api("POST", "/messages", {
      user_id: "files-3",
      message_id: "m-3",
      attachments: [{ url: `${files.url}/u3/only.png` }],
    });
    expect(answer.status).toBe(201);
    expect(calls()).toEqual({ "POST /conversations/:id/messages": 1 });
    const posted = answer.body as Posted;
    const stored = (await cw.messagesOf(posted.conversation_id)).find((m) => m.id === posted.chatwoot_message_id);
    expect([stored?.content, stored?.message_type, stored?.attachments?.length]).toEqual([null, 0, 1]);
  });

  it("accepts 15 files in one message and refuses 16 with 400 before any download", async () => {
    files.route("/u4/f.png", { kind: "file", contentType: "image/png", body: png });
    const attachments = Array.from({ length: 15 }, (_, i) => ({ url: `${files.url}/u4/f.png`, filename: `f${i}.png` }));
    reset();
    const answer = await t.api("POST", "/messages", { user_id: "files-4", message_id: "m-4", attachments });
    expect(answer.status).toBe(201);
    expect(calls()).toEqual({ "POST /contacts": 1, "POST /conversations": 1 });
    const posted = answer.body as Posted;
    expect((await storedFiles(posted.conversation_id, posted.chatwoot_message_id)).map((f) => f.filename)).toEqual(
      attachments.map((a) => a.filename),
    );

    files.resetHits();
    reset();
    const tooMany = await t.api("POST", "/messages", {
      user_id: "files-5",
      message_id: "m-5",
      attachments: [...attachments, attachments[0]],
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body).toMatchObject({ error: { code: "validation_failed", details: [{ path: "attachments" }] } });
    expect([calls(), files.hits(), (await t.api("GET", "/contacts/files-5")).status]).toEqual([{}, 0, 404]);
  });
});

/** Posts a new user's message with these attachments and asserts the refusal changed nothing. */
async function expectRefused(
  userId: string,
  attachments: unknown[],
  status: number,
  code: string,
  path: string,
): Promise<string> {
  reset();
  const answer = await t.api("POST", "/messages", { user_id: userId, message_id: "m-1", content: "look", attachments });
  expect(answer.status).toBe(status);
  const error = (answer.body as { error: { code: string; message: string; details: Array<{ path: string }> } }).error;
  expect([error.code, error.details.map((d) => d.path)]).toEqual([code, [path]]);
  expect(calls()).toEqual({});
  expect((await t.api("GET", `/contacts/${userId}`)).status).toBe(404);
  return error.message;
}

describe("refused downloads change nothing", () => {
  it.each([
    "https://10.1.2.3/a.png",
    "https://172.16.5.4/a.png",
    "https://192.168.0.10/a.png",
    "https://127.0.0.2/a.png",
    "https://localhost/a.png",
    "https://169.254.169.254/latest/meta-data/",
    "https://100.64.0.1/a.png",
    "https://0.0.0.0/a.png",
    "https://198.18.0.1/a.png",
    "https://224.0.0.1/a.png",
    "https://240.0.0.1/a.png",
    "https://255.255.255.255/a.png",
    "https://[::1]/a.png",
    "https://[fd00::1]/a.png",
    "https://[fe80::1]/a.png",
    "https://[ff02::1]/a.png",
    "https://[::ffff:127.0.0.1]/a.png",
    "https://[::ffff:169.254.169.254]/a.png",
    "https://[64:ff9b::a00:1]/a.png",
  ])("answers 400 for %s: no Chatwoot call, no mapping", async (url) => {
    const message = await expectRefused(`range-${url}`, [{ url }], 400, "validation_failed", "attachments.0.url");
    expect(message).toBe("attachment 0 points to a private, loopback, link-local or otherwise internal address");
  });

  it("answers 400 for a redirect into a private range or to loopback by name, checked on every hop", async () => {
    files.route("/hop/metadata", { kind: "redirect", location: "https://169.254.169.254/latest/meta-data/iam/" });
    files.route("/hop/1", { kind: "redirect", location: `https://localhost:${files.port}/a.png` });
    files.route("/hop/0", { kind: "redirect", location: "/hop/1" });
    await expectRefused("hop-1", [{ url: `${files.url}/hop/metadata` }], 400, "validation_failed", "attachments.0.url");
    await expectRefused("hop-2", [{ url: `${files.url}/hop/0` }], 400, "validation_failed", "attachments.0.url");
  });

  it("answers 400 for plain http, a missing file and a redirect loop, naming the attachment", async () => {
    files.route("/ok.png", { kind: "file", contentType: "image/png", body: png });
    files.route("/gone.png", { kind: "status", status: 404 });
    files.route("/loop", { kind: "redirect", location: "/loop" });
    expect(
      await expectRefused(
        "bad-1",
        [{ url: "http://cdn.example.com/a.png" }],
        400,
        "validation_failed",
        "attachments.0.url",
      ),
    ).toBe("attachment 0 must be an https URL");
    expect(
      await expectRefused(
        "bad-2",
        [{ url: `${files.url}/ok.png` }, { url: `${files.url}/gone.png` }],
        400,
        "validation_failed",
        "attachments.1.url",
      ),
    ).toBe("attachment 1 could not be downloaded: the server answered 404");
    expect(
      await expectRefused("bad-3", [{ url: `${files.url}/loop` }], 400, "validation_failed", "attachments.0.url"),
    ).toBe("attachment 0 redirected more than 3 times");
  });

  it("answers 413 for a file over 20 MB, declared or streamed, and for files over 50 MB together", async () => {
    const bytes = new Uint8Array(21 * MB);
    files.route("/big/declared", { kind: "file", body: bytes.subarray(0, 20 * MB + 1) });
    files.route("/big/streamed", { kind: "file", body: bytes, chunked: true });
    files.route("/big/18mb", { kind: "file", body: bytes.subarray(0, 18 * MB) });
    await expectRefused("big-1", [{ url: `${files.url}/big/declared` }], 413, "payload_too_large", "attachments.0.url");
    await expectRefused("big-2", [{ url: `${files.url}/big/streamed` }], 413, "payload_too_large", "attachments.0.url");
    const three = [1, 2, 3].map(() => ({ url: `${files.url}/big/18mb` }));
    expect(await expectRefused("big-3", three, 413, "payload_too_large", "attachments")).toBe(
      "the attachments of one message together are larger than 50 MB",
    );
  });

  it("lets the client correct a refused message under the same message_id: the refusal left no record", async () => {
    files.route("/fixed.png", { kind: "file", contentType: "image/png", body: png });
    await expectRefused("fix-1", [{ url: "https://10.0.0.1/a.png" }], 400, "validation_failed", "attachments.0.url");
    const fixed = await t.api("POST", "/messages", {
      user_id: "fix-1",
      message_id: "m-1",
      content: "look",
      attachments: [{ url: `${files.url}/fixed.png` }],
    });
    expect(fixed.status).toBe(201);
  });
});

describe("log lines", () => {
  it("never carry an attachment URL, a filename or a user id", async () => {
    files.route("/SECRET-PATH-MARKER/x.png", { kind: "file", contentType: "image/png", body: png });
    await t.api("POST", "/messages", {
      user_id: "log-user-MARKER",
      attachments: [{ url: `${files.url}/SECRET-PATH-MARKER/x.png`, filename: "FILENAME-MARKER.png" }],
    });
    await t.api("POST", "/messages", {
      user_id: "log-user-MARKER",
      attachments: [{ url: "https://10.9.9.9/SECRET-PATH-MARKER" }],
    });
    const text = t.logLines.join("\n");
    for (const marker of [
      "SECRET-PATH-MARKER",
      "FILENAME-MARKER",
      "log-user-MARKER",
      "10.9.9.9",
      "photo.png",
      "invoice.pdf",
    ])
      expect(text).not.toContain(marker);
    expect(text).toContain('"error_code":"validation_failed"');
  });
});
