// One HTTP request through the sandbox, in Chatwoot's order: rack-attack throttle, routing, call
// counter, injected faults and latency, token auth, account, params, controller, and (for "hang"
// faults) a response held back after the work is done.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { BlobStore } from "./blobs.js";
import type { CallTimings } from "./call-timings.js";
import type { Core } from "./core.js";
import { notFound, toApiError, unauthorized } from "./errors.js";
import type { CallStats, Faults } from "./faults.js";
import { readBody, readParams, writeReply, type Reply } from "./http.js";
import { integer } from "./params.js";
import { CONTACT_SEARCH_PER_MINUTE, THROTTLED, type Throttle } from "./rate-limit.js";
import type { Router } from "./router.js";
import { PUBLIC_PREFIX, publicRouter } from "./routes-public.js";
import type { User } from "./types.js";
import type { ViewContext } from "./views-records.js";

const API_PREFIX = /^\/api\/v1\/accounts\/([^/]+)(\/.*)$/;
const ROUTING_ERROR: Reply = { status: 404, body: { status: 404, error: "Not Found" } };

export interface PipelineDeps {
  core: Core;
  view: ViewContext;
  blobs: BlobStore;
  router: Router;
  faults: Faults;
  stats: CallStats;
  timings: CallTimings;
  throttle: Throttle;
  settings: { latencyMs: number; requestLimitPerMinute: number };
  control: (method: string, url: URL, body: Buffer, contentType: string) => Promise<Reply>;
  /** Resolves after `ms`, or at once when the sandbox closes. */
  sleep: (ms: number) => Promise<void>;
  /** Keeps a response open until the client gives up or the sandbox closes. */
  holdForever: (res: ServerResponse) => void;
}

export async function handleRequest(deps: PipelineDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const arrivedAt = performance.now();
  const url = new URL(req.url ?? "/", deps.view.baseUrl);
  const method = req.method ?? "GET";
  const body = await readBody(req);
  const contentType = req.headers["content-type"] ?? "";
  if (url.pathname === "/_sandbox" || url.pathname.startsWith("/_sandbox/")) {
    writeReply(res, await deps.control(method, url, body, contentType));
    return;
  }
  if (!deps.throttle.allow(`ip:${req.socket.remoteAddress ?? ""}`, deps.settings.requestLimitPerMinute)) {
    writeReply(res, THROTTLED);
    return;
  }
  if (method === "GET" && url.pathname.startsWith("/rails/active_storage/")) {
    writeBlob(deps, url, res);
    return;
  }
  const publicApi = PUBLIC_PREFIX.exec(url.pathname);
  if (publicApi !== null) {
    writeReply(res, await handlePublic(deps, method, publicApi[1] ?? "", url, contentType, body));
    return;
  }
  const api = API_PREFIX.exec(url.pathname);
  const match = api === null ? undefined : deps.router.match(method, api[2] ?? "");
  if (api === null || match === undefined) {
    writeReply(res, ROUTING_ERROR);
    return;
  }
  deps.stats.record(match.key);
  deps.timings.track(match.key, arrivedAt, req, res);
  const accountId = api[1] ?? "";
  if (match.key === "GET /contacts/search" && !deps.throttle.allow(`search:${accountId}`, CONTACT_SEARCH_PER_MINUTE)) {
    writeReply(res, THROTTLED);
    return;
  }
  const plan = deps.faults.plan(match.key);
  if (plan.error !== undefined) {
    writeReply(res, plan.error);
    return;
  }
  const delayMs = deps.settings.latencyMs + plan.latencyMs;
  if (delayMs > 0) await deps.sleep(delayMs);
  const started = performance.now();
  let reply: Reply;
  try {
    const user = authenticate(deps, req, accountId);
    const params = await readParams(url, contentType, body);
    reply = await match.route.handler({ core: deps.core, view: deps.view, user, params, path: match.path });
  } catch (error) {
    const failure = toApiError(error);
    reply = {
      status: failure.status,
      ...(failure.contentType === "text" ? { text: String(failure.body) } : { body: failure.body }),
    };
  } finally {
    deps.stats.addHandlerTime(performance.now() - started);
  }
  if (plan.hangMs === null) {
    deps.holdForever(res);
    return;
  }
  if (plan.hangMs !== undefined) await deps.sleep(plan.hangMs);
  writeReply(res, reply);
}

/** The Client API: counted and faulted like the Application API under `/public…` route keys; no token. */
async function handlePublic(
  deps: PipelineDeps,
  method: string,
  subPath: string,
  url: URL,
  contentType: string,
  body: Buffer,
): Promise<Reply> {
  const match = publicRouter.match(method, subPath);
  if (match === undefined) return ROUTING_ERROR;
  const key = `${method} /public${match.route.path}`;
  deps.stats.record(key);
  const plan = deps.faults.plan(key);
  if (plan.error !== undefined) return plan.error;
  const delayMs = deps.settings.latencyMs + plan.latencyMs;
  if (delayMs > 0) await deps.sleep(delayMs);
  try {
    const params = await readParams(url, contentType, body);
    const later = (work: () => void) => void setImmediate(work);
    return match.route.handler({ core: deps.core, params, path: match.path, later });
  } catch (error) {
    const failure = toApiError(error);
    return {
      status: failure.status,
      ...(failure.contentType === "text" ? { text: String(failure.body) } : { body: failure.body }),
    };
  }
}

/** Token first (devise fallback when absent), then `Account.find`, then membership (CONTRACT.md §2.0). */
function authenticate(deps: PipelineDeps, req: IncomingMessage, accountId: string): User {
  const header = req.headers.api_access_token ?? req.headers["api-access-token"];
  const token = Array.isArray(header) ? header[0] : header;
  if (token === undefined || token === "") {
    throw unauthorized({ errors: ["You need to sign in or sign up before continuing."] });
  }
  const user = deps.core.state.userByToken(token);
  if (user === undefined) throw unauthorized({ error: "Invalid Access Token" });
  if (integer(accountId) !== deps.core.state.account.id) throw notFound();
  return user;
}

function writeBlob(deps: PipelineDeps, url: URL, res: ServerResponse): void {
  const reply = deps.blobs.serve(deps.view.baseUrl, url.pathname);
  if (reply.kind === "redirect") {
    writeReply(res, { status: 302, text: "", headers: { location: reply.location } });
  } else if (reply.kind === "file") {
    res.writeHead(200, {
      "content-type": reply.file.contentType,
      "content-length": String(reply.file.data.byteLength),
      "content-disposition": `inline; filename="${reply.file.filename.replace(/"/g, "")}"`,
    });
    res.end(reply.file.data);
  } else {
    writeReply(res, ROUTING_ERROR);
  }
}
