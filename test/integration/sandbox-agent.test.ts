// Acting as the agent: the CLI (`npm run sandbox -- …`) over the /_sandbox control API produces the
// same records and webhooks as a dashboard user would, and describeSandbox tells a person how.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_SANDBOX_URL, runCli } from "../../dev/sandbox/cli-commands.js";
import { describeSandbox, startSandbox, type Sandbox } from "../../dev/sandbox/server.js";
import { field, items, sandboxApi, seedConversation, type SandboxApi } from "../support/sandbox-api.js";
import { startWebhookReceiver, type CapturedWebhook, type WebhookReceiver } from "../support/sandbox-receiver.js";

let sandbox: Sandbox;
let api: SandboxApi;
let receiver: WebhookReceiver;
let dir: string;
let printed: string[] = [];

const cli = (...argv: string[]) => runCli(argv, { baseUrl: sandbox.url, print: (line) => printed.push(line) });
const lastPrinted = (): unknown => JSON.parse(printed.at(-1) ?? "null");
/** Message and typing events carry the conversation nested; conversation events are the conversation. */
const conversationOfHook = (hook: CapturedWebhook): unknown =>
  hook.event.startsWith("message") || hook.event.startsWith("conversation_typing")
    ? field(hook.body, "conversation", "id")
    : hook.body.id;

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  sandbox = await startSandbox({ webhookUrl: receiver.url });
  api = sandboxApi(sandbox);
  dir = await mkdtemp(join(tmpdir(), "sandbox-cli-"));
});
afterAll(async () => {
  await sandbox.close();
  await receiver.close();
  await rm(dir, { recursive: true, force: true });
});

describe("the sandbox CLI", () => {
  it("replies as Sam Agent: an outgoing message with source_id null that comes back as message_created", async () => {
    const { conversationId } = await seedConversation(api, "cli-reply");
    expect(await cli("reply", String(conversationId), "Hello", "from", "support")).toBe(0);
    const id = Number(field(lastPrinted(), "id"));
    const hook = await receiver.waitFor((h) => h.event === "message_created" && h.body.id === id);
    expect([
      hook.body.content,
      hook.body.message_type,
      hook.body.source_id,
      field(hook.body, "sender", "name"),
    ]).toEqual(["Hello from support", "outgoing", null, "Sam Agent"]);
  });

  it("attaches a file with --attach and a location with --location", async () => {
    const { conversationId } = await seedConversation(api, "cli-files");
    const path = join(dir, "note.txt");
    await writeFile(path, "file body");
    expect(await cli("reply", String(conversationId), "see file", "--attach", path)).toBe(0);
    expect(await cli("reply", String(conversationId), "--location", "52.52,13.405,Berlin office")).toBe(0);
    const listed = items((await api.get(`/conversations/${conversationId}/messages`)).json, "payload").slice(-2);
    const [file, spot] = listed.map((m) => field(m, "attachments", 0));
    expect([
      field(file, "file_type"),
      field(file, "extension"),
      field(file, "content_type"),
      field(file, "file_size"),
    ]).toEqual(["file", "txt", "text/plain", 9]);
    expect(await (await fetch(String(field(file, "data_url")))).text()).toBe("file body");
    expect(spot).toEqual({
      id: expect.any(Number),
      message_id: listed[1]?.id,
      file_type: "location",
      account_id: 1,
      coordinates_lat: 52.52,
      coordinates_long: 13.405,
      fallback_title: "Berlin office",
      data_url: "https://maps.google.com/?q=52.52,13.405",
    });
    expect(listed[1]?.content).toBeNull();
    const untitled = sandbox.reply(conversationId, null, { location: { lat: 1.5, long: 2.5 } });
    expect(sandbox.attachments().find((a) => a.messageId === untitled.id)?.fallbackTitle).toBe("Location");
  });

  it("lists conversations by display id only, and messages with their attachments", async () => {
    const { conversationId } = await seedConversation(api, "cli-list");
    const path = join(dir, "list.txt");
    await writeFile(path, "listed");
    expect(await cli("reply", String(conversationId), "with a file", "--attach", path)).toBe(0);
    expect(await cli("conversations")).toBe(0);
    const listed = items(lastPrinted(), "payload").find((c) => field(c, "id") === conversationId);
    expect(listed && Object.keys(listed)).not.toContain("displayId");
    expect(await cli("messages", String(conversationId))).toBe(0);
    const reply = items(lastPrinted(), "payload").at(-1);
    expect([field(reply, "content"), field(reply, "conversationId"), field(reply, "attachments")]).toEqual([
      "with a file",
      conversationId,
      [{ fileType: "file", filename: "list.txt", contentType: "text/plain", byteSize: 6, externalUrl: null }],
    ]);
  });

  it("writes notes and templates, resolves, reopens, deletes, retries and types", async () => {
    const { conversationId } = await seedConversation(api, "cli-all");
    const id = String(conversationId);
    expect(await cli("note", id, "private")).toBe(0);
    expect(await cli("template", id, "Rate us")).toBe(0);
    const templateId = Number(field(lastPrinted(), "id"));
    expect(await cli("resolve", id)).toBe(0);
    expect(sandbox.conversations().find((c) => c.displayId === conversationId)?.status).toBe("resolved");
    expect(await cli("reopen", id)).toBe(0);
    expect(await cli("typing", id, "on")).toBe(0);
    expect(await cli("delete", id, String(templateId))).toBe(0);
    expect(field(lastPrinted(), "contentAttributes")).toEqual({ deleted: true });
    expect(await cli("retry", id, String(templateId))).toBe(0);
    await sandbox.webhooksIdle();
    const events = receiver.received.filter((h) => conversationOfHook(h) === conversationId);
    expect(events.map((h) => h.event)).toEqual([
      "conversation_created",
      "message_created",
      "message_created",
      "message_created",
      "conversation_status_changed",
      "conversation_updated",
      "conversation_status_changed",
      "conversation_updated",
      "conversation_typing_on",
      "message_updated",
      "message_updated",
    ]);
    const note = receiver.received.find((h) => h.body.content === "private");
    expect([
      note?.body.private,
      field(receiver.received.find((h) => h.body.id === templateId)?.body, "sender"),
    ]).toEqual([true, null]);
  });

  it("adds faults and reads counters, and refuses unknown conversations with exit code 1", async () => {
    expect(await cli("fault", "GET /contacts", "--status", "503", "--times", "1")).toBe(0);
    expect((await api.get("/contacts")).status).toBe(503);
    expect(await cli("calls")).toBe(0);
    expect(field(lastPrinted(), "calls", "GET /contacts")).toBeGreaterThanOrEqual(1);
    expect(await cli("reply", "9999", "nobody here")).toBe(1);
    expect(lastPrinted()).toEqual({ error: "conversation 9999 not found" });
    printed = [];
    expect(await cli("help")).toBe(0);
    expect(printed[0]).toMatch(/^usage: npm run sandbox -- <command>/);
  });
});

describe("describeSandbox", () => {
  it("tells a person how to act as the agent, pointing the CLI at this sandbox", () => {
    const lines = describeSandbox(sandbox);
    expect(lines[0]).toBe('Chatwoot sandbox: account 1, API inbox 1 "Bridge Inbox", agent "Sam Agent" (user 2).');
    expect(lines).toContain(`  SANDBOX_URL=${sandbox.url} npm run sandbox -- conversations`);
    expect(lines.some((line) => line.includes('reply <conversation_id> "Hi, how can I help?"'))).toBe(true);
    expect(sandbox.url).not.toBe(DEFAULT_SANDBOX_URL);
    expect(lines.join("\n")).not.toContain(sandbox.apiToken);
  });
});
