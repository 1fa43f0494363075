// The `Sandbox` handle tests and `npm start` hold: connection details, knobs, faults, counters,
// webhook log, agent actions and read access to the records (copies, with display ids).
import type { AgentActions } from "./agent.js";
import type { CallTiming } from "./call-timings.js";
import type { Fault, FaultSpec } from "./faults.js";
import type { SandboxState } from "./state.js";
import type { Attachment, Contact, ContactInbox, Conversation, Message } from "./types.js";
import type { WebhookLogEntry } from "./webhooks.js";

/** A message as tests see it: `conversationId` is the conversation's display id, as in the API. */
export type MessageSnapshot = Message;

export interface SandboxOptions {
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  webhookUrl?: string;
  /** WEBHOOK_TIMEOUT, default 5000. */
  webhookTimeoutMs?: number;
  /** When a delivery stops waiting for an answer; default: after webhookTimeoutMs. Tests pass one they abort. */
  webhookDeadline?: (timeoutMs: number) => AbortSignal;
  /** Added to every Application API request. */
  latencyMs?: number;
  /** rack-attack `req/ip`, default 3000. */
  requestLimitPerMinute?: number;
  /** The throttle's clock (epoch ms), default Date.now: tests move its one-minute windows without waiting. */
  throttleClock?: () => number;
  lockToSingleConversation?: boolean;
  /** For probabilistic faults; default Math.random. */
  random?: () => number;
  /**
   * Keeps the records, id sequences, tokens and webhook secret in this JSON file: loaded at start
   * when it exists, saved in the background after changes and on close(). Without it, memory only.
   */
  dataFile?: string;
}

export interface Sandbox extends AgentActions {
  readonly url: string;
  readonly accountId: number;
  readonly inboxId: number;
  /** The administrator's token (user 1). */
  readonly apiToken: string;
  /** Sam Agent's token (user 2, agent role). */
  readonly agentApiToken: string;
  /** The inbox's signing secret ("" when signing is off); changes with reset_secret. */
  readonly webhookSecret: string;
  setWebhookUrl(url: string | null): void;
  /** null imitates a Chatwoot older than v4.13: unsigned webhooks. */
  setWebhookSecret(secret: string | null): void;
  setLatencyMs(ms: number): void;
  setRequestLimitPerMinute(limit: number): void;
  setLockToSingleConversation(locked: boolean): void;
  /** Calls per route key, e.g. `{"POST /contacts": 2}` (keys: dev/sandbox/README.md). */
  calls(): Record<string, number>;
  resetCalls(): void;
  /** Total time spent inside handlers since the last resetCalls(), without injected delays. */
  handlerMs(): number;
  /** One record per API call since the last resetCalls(): route, start, time inside the sandbox, x-sandbox-tag. */
  timings(): CallTiming[];
  addFault(spec: FaultSpec): Fault;
  faults(): Fault[];
  clearFaults(id?: number): void;
  webhookLog(): WebhookLogEntry[];
  clearWebhookLog(): void;
  webhooksIdle(): Promise<void>;
  waitForWebhook(predicate: (entry: WebhookLogEntry) => boolean): Promise<WebhookLogEntry>;
  /** Chatwoot sometimes sends one event twice under a new X-Chatwoot-Delivery. */
  duplicateNextWebhook(): void;
  /** Resolves with the first message, existing or future (created or changed), that matches. */
  waitForMessage(predicate: (message: MessageSnapshot) => boolean): Promise<MessageSnapshot>;
  contacts(): Contact[];
  contactInboxes(): ContactInbox[];
  conversations(): Conversation[];
  /** All messages, or one conversation's (by display id), in id order. */
  messages(conversationId?: number): MessageSnapshot[];
  attachments(): Attachment[];
  /** contacts#destroy as the administrator: the contact, its contact_inboxes, conversations and messages. */
  deleteContact(contactId: number): void;
  /** Resolves once every change so far is in `dataFile` (at once without one). */
  saved(): Promise<void>;
  close(): Promise<void>;
}

export function snapshotMessage(state: SandboxState, message: Message): MessageSnapshot {
  return structuredClone({ ...message, conversationId: state.conversationOf(message).displayId });
}

/** Resolves waiters as messages appear or change. */
export class MessageWatchers {
  private readonly waiters = new Set<(message: MessageSnapshot) => void>();

  wait(existing: MessageSnapshot[], predicate: (message: MessageSnapshot) => boolean): Promise<MessageSnapshot> {
    const found = existing.find(predicate);
    if (found !== undefined) return Promise.resolve(found);
    return new Promise((resolve) => {
      const waiter = (message: MessageSnapshot) => {
        if (!predicate(message)) return;
        this.waiters.delete(waiter);
        resolve(message);
      };
      this.waiters.add(waiter);
    });
  }

  notify(message: MessageSnapshot): void {
    for (const waiter of [...this.waiters]) waiter(message);
  }
}
