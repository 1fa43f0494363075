// postMessage's files: downloaded after the claim and before any Chatwoot call, once per attempt that posts, never
// by a retry that finds the message already stored; a refused download calls Chatwoot not at all and frees the id.
import { beforeEach, describe, expect, it } from "vitest";
import { postMessage, type PostMessageInput } from "../../functions/core/messages.js";
import { type InboundFakes, inboundFakes, peekMessage, seedKnownUser } from "../support/inbound-fakes.js";

const URLS = ["https://files.example.com/a.png", "https://files.example.com/b.png"];
const WITH_FILES: PostMessageInput = {
  userId: "u-1",
  messageId: "m-1",
  content: "two photos",
  attachments: URLS.map((url, i) => ({ kind: "url", source: { url, filename: `photo-${i}.png` } })),
  attachmentKeys: URLS,
};
let fakes: InboundFakes;

beforeEach(async () => {
  fakes = inboundFakes();
  await seedKnownUser(fakes, "u-1");
});

describe("postMessage with attachments named by URL", () => {
  it("downloads each file once, before any Chatwoot call, and sends them in the message's one call", async () => {
    await postMessage(fakes.deps, WITH_FILES);
    expect(fakes.fetcher.downloads).toEqual(URLS.map((url) => ({ url, chatwootCallsBefore: 0 })));
    expect(fakes.chatwoot.calls).toEqual(["createMessage"]);
    expect(fakes.chatwoot.messages.map((m) => m.attachmentNames)).toEqual([["photo-0.png", "photo-1.png"]]);
  });

  it("does not download again when the retry finds the message stored by the attempt that timed out", async () => {
    fakes.chatwoot.failNext("timeout", { operation: "createMessage", afterStore: true });
    await expect(postMessage(fakes.deps, WITH_FILES)).rejects.toMatchObject({ kind: "timeout" });
    const retry = await postMessage(fakes.deps, WITH_FILES);
    expect(retry.duplicate).toBe(true);
    expect(fakes.fetcher.downloads.map((d) => d.url)).toEqual(URLS);
    expect(fakes.chatwoot.messages).toHaveLength(1);
  });

  it("downloads again, after the lookup, when the retry finds the message missing", async () => {
    fakes.chatwoot.failNext("timeout", { operation: "createMessage" });
    await expect(postMessage(fakes.deps, WITH_FILES)).rejects.toMatchObject({ kind: "timeout" });
    const retry = await postMessage(fakes.deps, WITH_FILES);
    expect(retry.duplicate).toBe(false);
    expect(fakes.fetcher.downloads.map((d) => [d.url, d.chatwootCallsBefore])).toEqual([
      [URLS[0], 0],
      [URLS[1], 0],
      [URLS[0], 2],
      [URLS[1], 2],
    ]);
    expect(fakes.chatwoot.messages.map((m) => m.attachmentNames)).toEqual([["photo-0.png", "photo-1.png"]]);
  });

  it("refuses a message whose file cannot be downloaded: no Chatwoot call, the message_id freed", async () => {
    fakes.fetcher.refuseNext = "blocked_address";
    const refused = postMessage(fakes.deps, WITH_FILES);
    await expect(refused).rejects.toMatchObject({ name: "BridgeError", code: "validation_failed" });
    expect(fakes.chatwoot.calls).toEqual([]);
    expect(await peekMessage(fakes.store, "u-1", "m-1")).toBeUndefined();
  });
});
