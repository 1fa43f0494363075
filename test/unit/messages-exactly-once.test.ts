// postMessage keeps the message_id claimed whenever Chatwoot may hold the message, so a retry never posts twice.
import { beforeEach, describe, expect, it } from "vitest";
import type { MessageDeps } from "../../functions/core/inbound-deps.js";
import { postMessage } from "../../functions/core/messages.js";
import { ConversationChatwoot } from "../support/conversation-chatwoot.js";
import { peekMessage } from "../support/inbound-fakes.js";
import { MemoryMappingStore } from "../support/memory-mapping-store.js";

let store: MemoryMappingStore;
let chatwoot: ConversationChatwoot;
let deps: MessageDeps;
let ids = 0;

beforeEach(async () => {
  store = new MemoryMappingStore();
  chatwoot = new ConversationChatwoot(7);
  deps = {
    store,
    chatwoot,
    attachments: {
      fetch: async () => {
        throw new Error("no downloads here");
      },
    },
    clock: { now: () => Date.now() },
    newId: () => `id-${++ids}`,
    config: { conversationAfterResolved: "new", chatwootInboxId: 1, chatwootTimeoutMs: 1000 },
    sleep: async () => undefined,
  };
  await store.acquireUserLease("u-1", "setup", Date.now() + 60_000, Date.now());
  await store.saveMapping(
    { userId: "u-1", contactId: 101, sourceId: "cwb-u-1", conversationId: 7, conversationStatus: "open" },
    "setup",
  );
});

describe("postMessage when something fails after Chatwoot stored the message", () => {
  it("keeps the record when recording the result fails, and the retry finds the stored message instead of posting again", async () => {
    chatwoot.afterStore = () => store.failNext(1); // the completeMessage right after the post fails
    await expect(postMessage(deps, { userId: "u-1", messageId: "m-1", content: "hello" })).rejects.toThrow();
    chatwoot.afterStore = () => undefined;
    const retry = await postMessage(deps, { userId: "u-1", messageId: "m-1", content: "hello" });
    expect(retry.duplicate).toBe(true);
    expect(chatwoot.messages).toHaveLength(1);
    expect(retry.chatwootMessageId).toBe(chatwoot.messages[0]?.id);
    expect((await peekMessage(store, "u-1", "m-1"))?.state).toBe("done");
  });

  it("posts once and answers duplicate to a replay when nothing fails", async () => {
    const first = await postMessage(deps, { userId: "u-1", messageId: "m-2", content: "hi" });
    const replay = await postMessage(deps, { userId: "u-1", messageId: "m-2", content: "hi" });
    expect([first.duplicate, replay.duplicate, chatwoot.messages.length]).toEqual([false, true, 1]);
  });
});
