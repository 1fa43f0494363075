// The sandbox's own control API under /_sandbox (not Chatwoot's): agent actions for the CLI, faults,
// call counters, the webhook log and settings. JSON in and out, snake_case; listed in README.md.
import { AgentActionError } from "./agent.js";
import { validateFaultSpec, type FaultKind, type FaultSpec } from "./faults.js";
import { json, readParams, type Reply } from "./http.js";
import { bool, integer, isParamObject, list, object, text, type ParamObject } from "./params.js";
import { Router, type RouteDef } from "./router.js";
import type { MessageSnapshot, Sandbox } from "./sandbox.js";
import type { Conversation, UploadedFile } from "./types.js";
import { isConversationStatus } from "./conversations.js";

type ControlHandler = (sandbox: Sandbox, params: ParamObject, path: Record<string, string>) => Reply | Promise<Reply>;

const id = (path: Record<string, string>, name = "id"): number => integer(path[name]) ?? -1;
const ok = (extra: Record<string, unknown> = {}): Reply => json({ ok: true, ...extra });

function readFiles(params: ParamObject): UploadedFile[] {
  return list(params.attachments)
    .filter(isParamObject)
    .map((file) => ({
      filename: text(file.filename) ?? "file",
      contentType: text(file.content_type) ?? "application/octet-stream",
      data: new Uint8Array(Buffer.from(text(file.data_base64) ?? "", "base64")),
    }));
}

const FAULT_KINDS: FaultKind[] = ["error", "latency", "hang"];

function readFault(params: ParamObject): FaultSpec | string {
  const kind = FAULT_KINDS.find((candidate) => candidate === text(params.kind));
  if (kind === undefined) return "kind must be error, latency or hang";
  const spec: FaultSpec = {
    route: text(params.route) ?? "",
    kind,
    status: integer(params.status),
    body: params.body ?? undefined,
    delayMs: numberParam(params.delay_ms),
    times: integer(params.times),
    probability: numberParam(params.probability),
  };
  return validateFaultSpec(spec) ?? spec;
}

function numberParam(value: ParamObject[string] | undefined): number | undefined {
  const raw = text(value);
  return raw === undefined || Number.isNaN(Number(raw)) ? undefined : Number(raw);
}

/** Only the display id, as `id`: it is what every URL and the CLI take (CONTRACT.md §2.0); the database id misleads. */
function byDisplayId(conversation: Conversation) {
  const { id: _databaseId, displayId, ...rest } = conversation;
  return { id: displayId, ...rest };
}

/** Each message with its attachments, so the CLI shows what the agent's dashboard shows. */
function withAttachments(sandbox: Sandbox, messages: MessageSnapshot[]) {
  const attachments = sandbox.attachments();
  return messages.map((message) => ({
    ...message,
    attachments: attachments
      .filter((a) => a.messageId === message.id)
      .map((a) => ({
        fileType: a.fileType,
        filename: a.filename,
        contentType: a.contentType,
        byteSize: a.byteSize,
        externalUrl: a.externalUrl,
      })),
  }));
}

interface ControlRoute {
  method: RouteDef["method"];
  path: string;
  run: ControlHandler;
}

const handlers: ControlRoute[] = [
  { method: "GET", path: "/conversations", run: (s) => json({ payload: s.conversations().map(byDisplayId) }) },
  {
    method: "GET",
    path: "/conversations/:id/messages",
    run: (s, _p, path) => json({ payload: withAttachments(s, s.messages(id(path))) }),
  },
  {
    method: "POST",
    path: "/conversations/:id/reply",
    run: (s, p, path) => {
      const location = object(p.location);
      const lat = numberParam(location?.lat);
      const long = numberParam(location?.long);
      const spot = lat === undefined || long === undefined ? undefined : { lat, long, title: text(location?.title) };
      const inReplyTo = integer(p.in_reply_to);
      const contentType = text(p.content_type);
      const items: unknown = p.items ?? [];
      const interactive =
        contentType === undefined ? undefined : { contentType, items: Array.isArray(items) ? items : [] };
      return json(
        s.reply(id(path), text(p.content) ?? null, {
          attachments: readFiles(p),
          location: spot,
          ...(inReplyTo !== undefined ? { inReplyTo } : {}),
          ...(interactive ? { interactive } : {}),
        }),
      );
    },
  },
  {
    method: "POST",
    path: "/conversations/:id/note",
    run: (s, p, path) => json(s.note(id(path), text(p.content) ?? "")),
  },
  {
    method: "POST",
    path: "/conversations/:id/template",
    run: (s, p, path) => json(s.template(id(path), text(p.content) ?? "")),
  },
  {
    method: "POST",
    path: "/conversations/:id/resolve",
    run: (s, _p, path) => {
      s.resolve(id(path));
      return ok();
    },
  },
  {
    method: "POST",
    path: "/conversations/:id/reopen",
    run: (s, _p, path) => {
      s.reopen(id(path));
      return ok();
    },
  },
  {
    method: "POST",
    path: "/conversations/:id/status",
    run: (s, p, path) => {
      const status = text(p.status) ?? "";
      if (!isConversationStatus(status))
        return json({ error: "status must be open, resolved, pending or snoozed" }, 400);
      s.setStatus(id(path), status, integer(p.snoozed_until));
      return ok();
    },
  },
  {
    method: "POST",
    path: "/conversations/:id/assign",
    run: (s, p, path) => {
      s.assign(id(path), p.user_id === null ? null : integer(p.user_id));
      return ok();
    },
  },
  {
    method: "POST",
    path: "/conversations/:id/typing",
    run: (s, p, path) => {
      s.typing(id(path), bool(p.on) ?? true, { private: bool(p.private) ?? false });
      return ok();
    },
  },
  {
    method: "DELETE",
    path: "/conversations/:id/messages/:message_id",
    run: (s, _p, path) => json(s.deleteMessage(id(path), id(path, "message_id"))),
  },
  {
    method: "POST",
    path: "/conversations/:id/messages/:message_id/retry",
    run: (s, _p, path) => json(s.retryMessage(id(path), id(path, "message_id"))),
  },
  {
    method: "POST",
    path: "/contacts/:id/conversations",
    run: (s, p, path) => json(s.newConversation(id(path), text(p.content) ?? "")),
  },
  {
    method: "POST",
    path: "/contacts",
    run: (s, p) => {
      const identifier = text(p.identifier);
      return json(s.newContact({ name: text(p.name) ?? "", ...(identifier ? { identifier } : {}) }));
    },
  },
  {
    method: "DELETE",
    path: "/contacts/:id",
    run: (s, _p, path) => {
      s.deleteContact(id(path));
      return ok();
    },
  },
  { method: "GET", path: "/faults", run: (s) => json({ payload: s.faults() }) },
  {
    method: "POST",
    path: "/faults",
    run: (s, p) => {
      const spec = readFault(p);
      return typeof spec === "string" ? json({ error: spec }, 400) : json(s.addFault(spec));
    },
  },
  {
    method: "DELETE",
    path: "/faults",
    run: (s) => {
      s.clearFaults();
      return ok();
    },
  },
  {
    method: "DELETE",
    path: "/faults/:id",
    run: (s, _p, path) => {
      s.clearFaults(id(path));
      return ok();
    },
  },
  { method: "GET", path: "/calls", run: (s) => json({ calls: s.calls(), handler_ms: s.handlerMs() }) },
  {
    method: "DELETE",
    path: "/calls",
    run: (s) => {
      s.resetCalls();
      return ok();
    },
  },
  { method: "GET", path: "/webhooks", run: (s) => json({ payload: s.webhookLog() }) },
  {
    method: "DELETE",
    path: "/webhooks",
    run: (s) => {
      s.clearWebhookLog();
      return ok();
    },
  },
  {
    method: "POST",
    path: "/webhooks/duplicate-next",
    run: (s) => {
      s.duplicateNextWebhook();
      return ok();
    },
  },
  { method: "PUT", path: "/settings", run: applySettings },
];

function applySettings(sandbox: Sandbox, params: ParamObject): Reply {
  if ("webhook_url" in params) sandbox.setWebhookUrl(text(params.webhook_url) ?? null);
  const latency = numberParam(params.latency_ms);
  if (latency !== undefined) sandbox.setLatencyMs(latency);
  const limit = integer(params.request_limit_per_minute);
  if (limit !== undefined) sandbox.setRequestLimitPerMinute(limit);
  const locked = bool(params.lock_to_single_conversation);
  if (locked !== undefined) sandbox.setLockToSingleConversation(locked);
  return ok();
}

const router = new Router<ControlRoute>(handlers);

export async function handleControl(
  sandbox: Sandbox,
  method: string,
  url: URL,
  body: Buffer,
  contentType: string,
): Promise<Reply> {
  const match = router.match(method, url.pathname.slice("/_sandbox".length) || "/");
  if (match === undefined) return json({ error: "unknown sandbox control route" }, 404);
  try {
    return await match.route.run(sandbox, await readParams(url, contentType, body), match.path);
  } catch (error) {
    if (error instanceof AgentActionError) return json({ error: error.message }, 404);
    return json({ error: error instanceof Error ? error.message : "failed" }, 422);
  }
}
