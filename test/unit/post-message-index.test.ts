// postMessage writes a message's index entry and completes its claim in one round trip (both at once), and a failure
// of either still ends indexed: an unfinished claim turns unknown and the retry finds and indexes the message; a
// completed claim makes the retry a duplicate, which indexes it again.
import { beforeEach, describe, expect, it } from "vitest";
import type { IndexedMessage } from "../../functions/core/message-index-port.js";
import { messageSourceId } from "../../functions/core/identity.js";
import { postMessage } from "../../functions/core/messages.js";
import { type InboundFakes, inboundFakes, peekMessage, seedKnownUser } from "../support/inbound-fakes.js";
import { MemoryMessageIndex } from "../support/memory-message-index.js";

/** The in-memory index, with one failing write on request and a log of when writes began and ended. */
class WatchedIndex extends MemoryMessageIndex {
  readonly events: string[] = [];
  failNext = false;

  override async record(message: IndexedMessage): Promise<void> {
    this.events.push("index begins");
    await Promise.resolve();
    if (this.failNext) {
      this.failNext = false;
      this.events.push("index fails");
      throw new Error("index write failed");
    }
    await super.record(message);
    this.events.push("index ends");
  }
}

const SOURCE_ID = messageSourceId("u-1", "m-1");
let fakes: InboundFakes;
let index: WatchedIndex;

beforeEach(async () => {
  fakes = inboundFakes();
  index = new WatchedIndex();
  fakes.deps = { ...fakes.deps, messageIndex: index };
  await seedKnownUser(fakes, "u-1");
});

describe("postMessage, the index entry and the claim's completion", () => {
  it("sends both writes before either answers: one round trip after the Chatwoot call", async () => {
    const { completeMessage } = fakes.store;
    fakes.store.completeMessage = async (...args) => {
      index.events.push("complete begins");
      await Promise.resolve();
      await completeMessage.apply(fakes.store, args);
      index.events.push("complete ends");
    };
    await postMessage(fakes.deps, { userId: "u-1", messageId: "m-1", content: "hi" });
    expect(index.events.slice(0, 2).sort()).toEqual(["complete begins", "index begins"]);
    expect(await index.findBySourceId(SOURCE_ID)).toEqual({
      conversationId: 2,
      chatwootMessageId: 3,
      user: { userId: "u-1", messageId: "m-1", sourceId: SOURCE_ID },
    });
  });

  it("a failed index write after the claim completed fails the request; the retry is a duplicate and indexes it", async () => {
    index.failNext = true;
    await expect(postMessage(fakes.deps, { userId: "u-1", messageId: "m-1", content: "hi" })).rejects.toThrow(
      "index write failed",
    );
    expect((await peekMessage(fakes.store, "u-1", "m-1"))?.state).toBe("done");
    expect(await index.findBySourceId(SOURCE_ID)).toBeUndefined();

    const retried = await postMessage(fakes.deps, { userId: "u-1", messageId: "m-1", content: "hi" });
    expect(retried).toMatchObject({ chatwootMessageId: 3, conversationId: 2, duplicate: true });
    expect(fakes.chatwoot.calls).toEqual(["createMessage"]);
    expect((await index.findBySourceId(SOURCE_ID))?.chatwootMessageId).toBe(3);
  });

  it("a failed completion leaves the claim unknown; the retry finds the message, posts nothing and indexes it", async () => {
    const { completeMessage } = fakes.store;
    let failures = 1;
    fakes.store.completeMessage = async (...args) => {
      if (failures-- > 0) throw new Error("completion failed");
      await completeMessage.apply(fakes.store, args);
    };
    await expect(postMessage(fakes.deps, { userId: "u-1", messageId: "m-1", content: "hi" })).rejects.toThrow(
      "completion failed",
    );
    expect((await peekMessage(fakes.store, "u-1", "m-1"))?.state).toBe("unknown");

    const retried = await postMessage(fakes.deps, { userId: "u-1", messageId: "m-1", content: "hi" });
    expect(retried).toMatchObject({ chatwootMessageId: 3, duplicate: true });
    expect(fakes.chatwoot.calls.filter((call) => call === "createMessage")).toHaveLength(1);
    expect((await index.findBySourceId(SOURCE_ID))?.chatwootMessageId).toBe(3);
    expect((await peekMessage(fakes.store, "u-1", "m-1"))?.state).toBe("done");
  });
});
