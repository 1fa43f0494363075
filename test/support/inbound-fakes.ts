// The inbound domain's deps built from fakes: the in-memory store, the Chatwoot fake, a counting downloader and a
// clock that only the injected sleep moves, so waiting for another request costs no real time.
import { AttachmentError, type AttachmentFailureKind } from "../../functions/core/errors.js";
import { contactSourceId } from "../../functions/core/identity.js";
import type { MessageDeps } from "../../functions/core/inbound-deps.js";
import { type PostMessageInput, type PostMessageResult, postMessage } from "../../functions/core/messages.js";
import type {
  AttachmentFetcher,
  AttachmentSource,
  ConversationStatus,
  Mapping,
  MappingStore,
  MessageRecord,
  OutgoingAttachment,
} from "../../functions/core/ports.js";
import { type ChatwootOperation, FakeChatwoot } from "./fake-chatwoot.js";
import { MemoryMappingStore } from "./memory-mapping-store.js";

/** Downloads every URL as a small file and counts the downloads, noting how many Chatwoot calls preceded each. */
export class CountingFetcher implements AttachmentFetcher {
  readonly downloads: { url: string; chatwootCallsBefore: number }[] = [];
  /** The next download is refused with this reason. */
  refuseNext: AttachmentFailureKind | undefined;
  constructor(private readonly chatwoot: FakeChatwoot) {}

  async fetch(source: AttachmentSource): Promise<OutgoingAttachment> {
    await Promise.resolve();
    this.downloads.push({ url: source.url, chatwootCallsBefore: this.chatwoot.calls.length });
    const refusal = this.refuseNext;
    this.refuseNext = undefined;
    if (refusal) throw new AttachmentError(refusal);
    return { filename: source.filename ?? "file.png", contentType: "image/png", data: new Uint8Array([1, 2, 3]) };
  }
}

export interface InboundFakes {
  deps: MessageDeps;
  /** The store itself: what tests seed or read through it is not recorded in `storeCalls`. */
  store: MemoryMappingStore;
  /** The store methods the domain called, in order: one entry per DynamoDB request. */
  storeCalls: string[];
  chatwoot: FakeChatwoot;
  fetcher: CountingFetcher;
}

export function inboundFakes(options: { conversationAfterResolved?: "new" | "reopen" } = {}): InboundFakes {
  let now = Date.parse("2025-01-01T00:00:00Z");
  let ids = 0;
  const clock = { now: () => now };
  const store = new MemoryMappingStore({ clock });
  const chatwoot = new FakeChatwoot();
  const fetcher = new CountingFetcher(chatwoot);
  const storeCalls: string[] = [];
  const deps: MessageDeps = {
    store: recorded(store, storeCalls),
    chatwoot,
    attachments: fetcher,
    clock,
    newId: () => `id-${++ids}`,
    config: {
      conversationAfterResolved: options.conversationAfterResolved ?? "new",
      chatwootInboxId: 1,
      chatwootTimeoutMs: 1000,
    },
    sleep: async (ms) => {
      now += ms;
    },
  };
  return { deps, store, storeCalls, chatwoot, fetcher };
}

/** The store as the domain sees it, noting each method called; the calls themselves are the store's own. */
function recorded(store: MemoryMappingStore, calls: string[]): MappingStore {
  return new Proxy(store, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        calls.push(String(property));
        return value.apply(target, args);
      };
    },
  });
}

/** A user as their first message leaves them: a contact in Chatwoot with one conversation, and the mapping. */
export async function seedKnownUser(
  fakes: InboundFakes,
  userId: string,
  status: ConversationStatus = "open",
): Promise<Mapping> {
  const { contactId, conversationId } = fakes.chatwoot.seedContact(userId, status);
  const mapping = { userId, contactId, sourceId: contactSourceId(userId), conversationId, conversationStatus: status };
  await saveMappingAsCreated(fakes.store, mapping);
  return mapping;
}

/** Saves a mapping as a finished creation would (taking and freeing the user's lease). */
export async function saveMappingAsCreated(store: MappingStore, mapping: Mapping): Promise<void> {
  await store.acquireUserLease(mapping.userId, "seed", Number.MAX_SAFE_INTEGER, 0);
  await store.saveMapping(mapping, "seed");
}

/** The message's idempotency record as the store holds it, read through beginMessage without leaving a trace. */
export async function peekMessage(
  store: MappingStore,
  userId: string,
  messageId: string,
): Promise<MessageRecord | undefined> {
  const probe = { userId, messageId, fingerprint: "peek", state: "pending" as const, leaseOwner: "peek", expiresAt: 0 };
  const begun = await store.beginMessage({ ...probe, leaseUntil: 0 });
  if (!begun.started) return begun.existing;
  await store.abandonMessage(userId, messageId, "peek");
  return undefined;
}

/** Posts, answering with the Chatwoot calls this one request made, so each attempt's calls are asserted alone. */
export async function postCounted(
  fakes: InboundFakes,
  input: PostMessageInput,
): Promise<{ posted: PostMessageResult; calls: ChatwootOperation[] }> {
  const start = fakes.chatwoot.calls.length;
  const posted = await postMessage(fakes.deps, input);
  return { posted, calls: fakes.chatwoot.calls.slice(start) };
}

/** The mapping a failed conversation create leaves behind: the contact, and maybe a conversation Chatwoot holds. */
export function contactOnly(userId: string, contactId: number, options: { conversationUnknown?: true } = {}): Mapping {
  return { userId, contactId, sourceId: contactSourceId(userId), ...options };
}
