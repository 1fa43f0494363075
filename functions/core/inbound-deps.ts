// What the inbound domain needs: ports plus the two settings that change its decisions.
import type { MessageIndex } from "./message-index-port.js";
import { boundedMs, type Deadline } from "./deadline.js";
import type { AttachmentFetcher, ChatwootApi, Clock, MappingStore } from "./ports.js";

export interface InboundDeps {
  store: MappingStore;
  chatwoot: ChatwootApi;
  clock: Clock;
  newId: () => string;
  /** Records each posted message for quotes, edits and deletes (spec §3.3, §3.7); absent in tests that need none. */
  messageIndex?: MessageIndex;
  config: {
    conversationAfterResolved: "new" | "reopen";
    chatwootInboxId: number;
    chatwootTimeoutMs: number;
  };
  /** Waits between polls of the store; injectable so tests need not wait. */
  sleep?: (ms: number) => Promise<void>;
  /** The invocation's end: waiting for another request's work never outlives it. */
  deadline?: Deadline;
}

/** Posting a message also downloads the files it names by URL; only the routes that post messages hold a downloader. */
export interface MessageDeps extends InboundDeps {
  attachments: AttachmentFetcher;
}

/** How long a creation lease lasts: longer than the Chatwoot calls of one creation with their retries. */
export function leaseMs(deps: InboundDeps): number {
  return deps.config.chatwootTimeoutMs * 5 + 5_000;
}

/** How long a request waits for another one's work (a creation, the same message) before answering 503. */
export function waitBudgetMs(deps: InboundDeps): number {
  return deps.config.chatwootTimeoutMs * 2 + 4_000;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `check` with growing, jittered pauses until it returns a value or the wait budget is spent. */
export async function waitFor<T>(deps: InboundDeps, check: () => Promise<T | undefined>): Promise<T | undefined> {
  const sleep = deps.sleep ?? defaultSleep;
  const deadline = deps.clock.now() + boundedMs(deps.deadline, waitBudgetMs(deps));
  for (let pauseMs = 10; ; pauseMs = Math.min(pauseMs * 2, 200)) {
    const value = await check();
    if (value !== undefined) return value;
    if (deps.clock.now() >= deadline) return undefined;
    await sleep(pauseMs / 2 + Math.random() * (pauseMs / 2));
  }
}
