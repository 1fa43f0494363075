// The console's JSON API: the sandbox's conversations (display ids only) and their messages as the agent's
// dashboard gets them (the Application API, CONTRACT.md §2.5), the agent's actions as Sam Agent, and the
// receiver's deliveries with their verification result.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Sandbox } from "../sandbox/server.js";
import { type ConsoleParts, sendJson } from "./pages.js";

/** The largest file the console uploads in one reply: the sandbox's (Chatwoot's) attachment limit is far above. */
const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

type Action = (sandbox: Sandbox, conversationId: number, input: Record<string, unknown>) => void;

const ACTIONS: Record<string, Action> = {
  reply: (sandbox, id, input) => {
    const file = uploadedFile(input.file);
    sandbox.reply(id, text(input.content), file ? { attachments: [file] } : {});
  },
  note: (sandbox, id, input) => {
    sandbox.note(id, text(input.content) ?? "");
  },
  resolve: (sandbox, id) => sandbox.resolve(id),
  reopen: (sandbox, id) => sandbox.reopen(id),
  typing: (sandbox, id, input) => sandbox.typing(id, input.on === true),
};

export async function answerConsoleApi(
  req: IncomingMessage,
  res: ServerResponse,
  body: Buffer,
  parts: ConsoleParts,
): Promise<void> {
  const path = new URL(req.url ?? "/", "http://local").pathname.slice("/console/api/".length);
  const method = req.method ?? "GET";
  if (method === "GET" && path === "deliveries") return sendJson(res, 200, parts.receiver?.feed.all() ?? []);
  const sandbox = parts.sandbox;
  if (!sandbox)
    return sendJson(res, 404, { error: "the console shows the built-in sandbox; CHATWOOT_BASE_URL is set" });
  if (method === "GET" && path === "conversations") return sendJson(res, 200, conversations(sandbox));
  if (method === "GET" && path === "contacts") return sendJson(res, 200, contacts(sandbox));
  if (method === "POST" && path === "conversations") {
    const input = parseInput(body);
    if (!input) return sendJson(res, 400, { error: "the body must be a JSON object" });
    return startConversation(res, sandbox, input);
  }

  const messages = /^conversations\/(\d+)\/messages$/.exec(path);
  if (method === "GET" && messages) return sendJson(res, 200, await agentMessages(sandbox, Number(messages[1])));
  const removal = /^conversations\/(\d+)\/messages\/(\d+)$/.exec(path);
  if (method === "DELETE" && removal) {
    return act(res, () => {
      sandbox.deleteMessage(Number(removal[1]), Number(removal[2]));
    });
  }
  const action = /^conversations\/(\d+)\/(\w+)$/.exec(path);
  const run = action && method === "POST" ? ACTIONS[action[2] ?? ""] : undefined;
  if (action && run) {
    const input = parseInput(body);
    if (!input) return sendJson(res, 400, { error: "the body must be a JSON object" });
    return act(res, () => run(sandbox, Number(action[1]), input));
  }
  sendJson(res, 404, { error: `no console API ${method} /console/api/${path}` });
}

function conversations(sandbox: Sandbox) {
  const contacts = new Map(sandbox.contacts().map((c) => [c.id, c]));
  return sandbox
    .conversations()
    .map((c) => ({
      id: c.displayId,
      status: c.status,
      contact: {
        name: contacts.get(c.contactId)?.name ?? null,
        identifier: contacts.get(c.contactId)?.identifier ?? null,
      },
      last_activity_at: c.lastActivityAt,
    }))
    .sort((a, b) => b.last_activity_at - a.last_activity_at);
}

function contacts(sandbox: Sandbox) {
  return sandbox.contacts().map((c) => ({ id: c.id, name: c.name ?? null, identifier: c.identifier ?? null }));
}

/**
 * The dashboard's "New conversation" (CONTRACT-addendum.md §A.1): POST /conversations with the contact's latest
 * contact_inbox source_id in the inbox and the agent's first message, as Sam Agent.
 */
async function startConversation(res: ServerResponse, sandbox: Sandbox, input: Record<string, unknown>) {
  const contactId = Number(input.contact_id);
  const content = text(input.content);
  if (!Number.isInteger(contactId) || !content)
    return sendJson(res, 400, { error: "contact_id and content are required" });
  const latest = sandbox
    .contactInboxes()
    .filter((ci) => ci.contactId === contactId && ci.inboxId === sandbox.inboxId)
    .sort((a, b) => b.id - a.id)[0];
  const answer = await fetch(`${sandbox.url}/api/v1/accounts/${sandbox.accountId}/conversations`, {
    method: "POST",
    headers: { api_access_token: sandbox.agentApiToken, "content-type": "application/json" },
    body: JSON.stringify({
      inbox_id: sandbox.inboxId,
      contact_id: contactId,
      ...(latest ? { source_id: latest.sourceId } : {}),
      message: { content },
    }),
  });
  const created: unknown = await answer.json();
  const id = typeof created === "object" && created !== null ? Reflect.get(created, "id") : undefined;
  if (!answer.ok || typeof id !== "number")
    return sendJson(res, 422, { error: `the sandbox answered ${answer.status}` });
  sendJson(res, 200, { ok: true, id });
}

/** The dashboard's own call (GET …/conversations/{display_id}/messages), so attachments carry their data_url. */
async function agentMessages(sandbox: Sandbox, displayId: number): Promise<unknown> {
  const url = `${sandbox.url}/api/v1/accounts/${sandbox.accountId}/conversations/${displayId}/messages`;
  const answer = await fetch(url, { headers: { api_access_token: sandbox.agentApiToken } });
  const body: unknown = await answer.json();
  const payload = typeof body === "object" && body !== null ? Reflect.get(body, "payload") : undefined;
  return Array.isArray(payload) ? payload : [];
}

/** Answers only `ok`: the sandbox's records hold database ids, and the console shows display ids only. */
function act(res: ServerResponse, action: () => void): void {
  try {
    action();
    sendJson(res, 200, { ok: true });
  } catch (error) {
    // The sandbox's AgentActionError says what a dashboard would (no such conversation, a note needs text…).
    sendJson(res, 422, { error: error instanceof Error ? error.message : "the action failed" });
  }
}

function parseInput(body: Buffer): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(body.toString("utf8") || "{}");
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? { ...parsed } : undefined;
  } catch {
    return undefined;
  }
}

function text(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}

function uploadedFile(value: unknown) {
  if (typeof value !== "object" || value === null) return undefined;
  const filename = Reflect.get(value, "filename");
  const contentType = Reflect.get(value, "content_type");
  const data = Reflect.get(value, "data");
  if (typeof filename !== "string" || typeof data !== "string") return undefined;
  const bytes = Buffer.from(data, "base64");
  if (bytes.length > MAX_UPLOAD_BYTES) throw new Error(`a file over ${MAX_UPLOAD_BYTES} bytes`);
  return {
    filename,
    contentType: typeof contentType === "string" && contentType ? contentType : "application/octet-stream",
    data: new Uint8Array(bytes),
  };
}
