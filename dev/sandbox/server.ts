// startSandbox(): a faithful local Chatwoot (account 1 "Sandbox", admin user 1, agent user 2, API inbox 1
// "Bridge Inbox" with a random webhook secret) on node:http, plus the control API and agent actions.
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { AgentActionError, createAgentActions } from "./agent.js";
import { CallTimings } from "./call-timings.js";
import { destroyContact } from "./contacts.js";
import type { Core } from "./core.js";
import { CallStats, Faults } from "./faults.js";
import { json } from "./http.js";
import { openSandboxData } from "./persist.js";
import { handleRequest } from "./pipeline.js";
import { DEFAULT_REQUESTS_PER_MINUTE, Throttle } from "./rate-limit.js";
import { Router } from "./router.js";
import { contactRoutes } from "./routes-contacts.js";
import { handleControl } from "./routes-control.js";
import { conversationRoutes } from "./routes-conversations.js";
import { inboxRoutes } from "./routes-inboxes.js";
import { messageRoutes } from "./routes-messages.js";
import { MessageWatchers, snapshotMessage, type Sandbox, type SandboxOptions } from "./sandbox.js";
import type { ViewContext } from "./views-records.js";
import { buildWebhookPayload, markDeliveryFailed } from "./webhook-payloads.js";
import { WebhookEmitter } from "./webhooks.js";

export type { Sandbox, SandboxOptions, MessageSnapshot } from "./sandbox.js";
export type { FaultSpec, Fault } from "./faults.js";
export type { CallTiming } from "./call-timings.js";
export type { WebhookLogEntry } from "./webhooks.js";
export { describeSandbox } from "./describe.js";

/** WEBHOOK_TIMEOUT default (seconds, in Chatwoot's installation config). */
const DEFAULT_WEBHOOK_TIMEOUT_MS = 5000;

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const { state, blobs, schedule } = openSandboxData(options.dataFile, {
    webhookUrl: options.webhookUrl ?? null,
    lockToSingleConversation: options.lockToSingleConversation,
  });
  const changed = (): void => schedule?.markDirty();
  const view: ViewContext = { state, blobs, baseUrl: "http://127.0.0.1" };
  const watchers = new MessageWatchers();
  const settings = {
    latencyMs: options.latencyMs ?? 0,
    requestLimitPerMinute: options.requestLimitPerMinute ?? DEFAULT_REQUESTS_PER_MINUTE,
  };
  const emitter: WebhookEmitter = new WebhookEmitter({
    target: () => ({ url: state.inbox.webhookUrl, secret: state.inbox.secret }),
    build: (event) => buildWebhookPayload(view, event),
    onFailure: (event, error) => markDeliveryFailed(core, event, error),
    timeoutMs: options.webhookTimeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS,
    deadline: options.webhookDeadline,
  });
  const core: Core = {
    state,
    blobs,
    // Every event and message change marks the data file dirty: agent actions and webhook failures too.
    events: {
      emit: (event) => {
        emitter.emit(event);
        changed();
      },
    },
    messageChanged: (message) => {
      watchers.notify(snapshotMessage(state, message));
      changed();
    },
  };
  const faults = new Faults(options.random);
  const stats = new CallStats();
  const timings = new CallTimings();
  const throttle = new Throttle(options.throttleClock);
  const router = new Router([...contactRoutes, ...conversationRoutes, ...messageRoutes, ...inboxRoutes]);
  const timers = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
  const held = new Set<ServerResponse>();
  let closed = false;

  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      if (closed) return resolve();
      const entry = {
        timer: setTimeout(() => {
          timers.delete(entry);
          resolve();
        }, ms),
        resolve,
      };
      timers.add(entry);
    });
  const holdForever = (res: ServerResponse): void => {
    held.add(res);
    res.on("close", () => held.delete(res));
  };

  let sandbox: Sandbox | undefined;
  const control = (method: string, url: URL, body: Buffer, contentType: string) =>
    sandbox === undefined
      ? Promise.resolve(json({ error: "starting" }, 503))
      : handleControl(sandbox, method, url, body, contentType);
  const deps = { core, view, blobs, router, faults, stats, timings, throttle, settings, sleep, holdForever, control };
  const server = createServer((req, res) => {
    handleRequest(deps, req, res)
      .catch(() => {
        if (!res.headersSent) res.writeHead(500, { "content-type": "application/json; charset=utf-8" });
        res.end('{"status":500,"error":"Internal Server Error"}');
      })
      .finally(() => {
        // Any API or control request but a GET may have changed something worth saving.
        if (req.method !== "GET") changed();
      });
  });
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  view.baseUrl = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;

  const messages = (conversationId?: number) =>
    [...state.messages.values()]
      .map((message) => snapshotMessage(state, message))
      .filter((message) => conversationId === undefined || message.conversationId === conversationId);
  sandbox = {
    ...createAgentActions(core),
    url: view.baseUrl,
    accountId: state.account.id,
    inboxId: state.inbox.id,
    apiToken: state.admin.accessToken,
    agentApiToken: state.agent.accessToken,
    get webhookSecret() {
      return state.inbox.secret ?? "";
    },
    setWebhookUrl: (url) => {
      state.inbox.webhookUrl = url;
    },
    setWebhookSecret: (secret) => {
      state.inbox.secret = secret;
      changed();
    },
    setLatencyMs: (ms) => {
      settings.latencyMs = ms;
    },
    setRequestLimitPerMinute: (limit) => {
      settings.requestLimitPerMinute = limit;
    },
    setLockToSingleConversation: (locked) => {
      state.inbox.lockToSingleConversation = locked;
    },
    calls: () => stats.calls(),
    resetCalls: () => {
      stats.reset();
      timings.reset();
    },
    handlerMs: () => stats.handlerMs(),
    timings: () => timings.list(),
    addFault: (spec) => faults.add(spec),
    faults: () => faults.list(),
    clearFaults: (id) => faults.clear(id),
    webhookLog: () => emitter.log(),
    clearWebhookLog: () => emitter.clearLog(),
    webhooksIdle: () => emitter.idle(),
    waitForWebhook: (predicate) => emitter.waitFor(predicate),
    duplicateNextWebhook: () => emitter.duplicateNext(),
    waitForMessage: (predicate) => watchers.wait(messages(), predicate),
    contacts: () => structuredClone([...state.contacts.values()]),
    contactInboxes: () => structuredClone([...state.contactInboxes.values()]),
    conversations: () => structuredClone([...state.conversations.values()]),
    messages,
    attachments: () => structuredClone([...state.attachments.values()]),
    deleteContact: (contactId) => {
      const contact = state.contacts.get(contactId);
      if (contact === undefined) throw new AgentActionError(`contact ${contactId} not found`);
      destroyContact(core, contact);
      changed();
    },
    saved: () => schedule?.saved() ?? Promise.resolve(),
    close: async () => {
      if (closed) return;
      closed = true;
      emitter.close();
      for (const entry of timers) {
        clearTimeout(entry.timer);
        entry.resolve();
      }
      for (const res of held) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await schedule?.close();
    },
  };
  return sandbox;
}
