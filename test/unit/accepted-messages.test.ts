// Accepted now, posted later (spec §3.3): the message_id settled and the message queued before any Chatwoot call;
// each attempt posted, retried on the backoff within INBOUND_RETRY_WINDOW, or failed for good with the reason.
import { beforeEach, describe, expect, it } from "vitest";
import { type AcceptDeps, acceptMessage, userGroup } from "../../functions/core/accepted-messages.js";
import { backoffSeconds, type PostAcceptedDeps, postAccepted } from "../../functions/core/accepted-posting.js";
import { messageFingerprintOf } from "../../functions/core/messages.js";
import { RecordingQueue } from "../support/route-harness.js";
import { type InboundFakes, inboundFakes, peekMessage, seedKnownUser } from "../support/inbound-fakes.js";

const HELLO = { userId: "u-1", messageId: "m-1", content: "hello" };
const WINDOW_MS = 60_000;
let fakes: InboundFakes;
let queue: RecordingQueue;
let now: number;

const acceptDeps = (): AcceptDeps => ({ ...fakes.deps, inboundQueue: queue });
const postDeps = (): PostAcceptedDeps => ({
  ...fakes.deps,
  clock: { now: () => now },
  config: { ...fakes.deps.config, inboundRetryWindowMs: WINDOW_MS },
});
const accept = (input: typeof HELLO) =>
  acceptMessage(acceptDeps(), { ...input, fingerprint: messageFingerprintOf(input), request: { raw: input } });

beforeEach(() => {
  fakes = inboundFakes();
  queue = new RecordingQueue();
  now = fakes.deps.clock.now();
});

describe("acceptMessage", () => {
  it("holds the message_id and queues the request in the user's FIFO group, calling no Chatwoot", async () => {
    expect(await accept(HELLO)).toEqual({ kind: "queued" });
    expect(await peekMessage(fakes.store, "u-1", "m-1")).toMatchObject({ state: "pending", leaseUntil: 0 });
    expect(queue.sent.length).toBe(1);
    expect(queue.sent[0]?.groupId).toBe(userGroup("u-1"));
    expect(queue.sent[0]?.groupId).toMatch(/^user-[0-9a-f]{64}$/);
    expect(JSON.parse(queue.sent[0]?.body ?? "")).toEqual({
      type: "message.accepted",
      acceptedAt: new Date(now).toISOString(),
      request: { raw: HELLO },
    });
    expect(fakes.chatwoot.calls).toEqual([]);
  });

  it("queues a repeat again (the worker's claim posts it once) and refuses other content with 409", async () => {
    await accept(HELLO);
    expect(await accept(HELLO)).toEqual({ kind: "queued" });
    expect(queue.sent.map((e) => e.deduplicationId)).toEqual([
      queue.sent[0]?.deduplicationId,
      queue.sent[0]?.deduplicationId,
    ]);
    await expect(accept({ ...HELLO, content: "other" })).rejects.toMatchObject({ code: "idempotency_conflict" });
    expect(queue.sent.length).toBe(2);
  });
});

describe("postAccepted", () => {
  it("posts an accepted message once, taking over its queued record without a lookup first", async () => {
    await seedKnownUser(fakes, "u-1");
    await accept(HELLO);
    const calls = fakes.chatwoot.calls.length;
    const outcome = await postAccepted(postDeps(), HELLO, { acceptedAtMs: now, attempt: 1 });
    expect(fakes.chatwoot.calls.slice(calls)).toEqual(["createMessage"]);
    expect(outcome).toMatchObject({ kind: "posted", posted: { messageId: "m-1", duplicate: false } });
    expect(fakes.chatwoot.messages.map((m) => m.content)).toEqual(["hello"]);
    expect(await peekMessage(fakes.store, "u-1", "m-1")).toMatchObject({ state: "done" });
  });

  it("retries Chatwoot's 503 on the backoff and keeps the message_id held meanwhile", async () => {
    await seedKnownUser(fakes, "u-1");
    await accept(HELLO);
    fakes.chatwoot.failNext("unavailable", { operation: "createMessage" });
    const outcome = await postAccepted(postDeps(), HELLO, { acceptedAtMs: now, attempt: 2 });
    expect(outcome).toEqual({ kind: "retry", delaySeconds: 10, code: "chatwoot_unavailable" });
    // A 503 stored nothing: postMessage freed the id, and it is held again as queued for the next attempt.
    expect(await peekMessage(fakes.store, "u-1", "m-1")).toMatchObject({ state: "pending", leaseUntil: 0 });
    await expect(accept({ ...HELLO, content: "other" })).rejects.toMatchObject({ code: "idempotency_conflict" });
    expect(fakes.chatwoot.messages).toEqual([]);
  });

  it("posts once when an attempt timed out after Chatwoot had stored the message: the retry finds it", async () => {
    await seedKnownUser(fakes, "u-1");
    await accept(HELLO);
    fakes.chatwoot.failNext("timeout", { operation: "createMessage", afterStore: true });
    const first = await postAccepted(postDeps(), HELLO, { acceptedAtMs: now, attempt: 1 });
    expect(first).toEqual({ kind: "retry", delaySeconds: 5, code: "chatwoot_timeout" });
    const second = await postAccepted(postDeps(), HELLO, { acceptedAtMs: now, attempt: 2 });
    expect(second).toMatchObject({ kind: "posted", posted: { messageId: "m-1" } });
    expect(fakes.chatwoot.messages.map((m) => m.content)).toEqual(["hello"]);
  });

  it("waits no longer than the window has left", async () => {
    await seedKnownUser(fakes, "u-1");
    fakes.chatwoot.failNext("failed", { operation: "createMessage" });
    const outcome = await postAccepted(postDeps(), HELLO, { acceptedAtMs: now - WINDOW_MS + 3_000, attempt: 9 });
    expect(outcome).toEqual({ kind: "retry", delaySeconds: 3, code: "chatwoot_error" });
  });

  it("reports failure once INBOUND_RETRY_WINDOW is spent, naming the window and the last error", async () => {
    await seedKnownUser(fakes, "u-1");
    fakes.chatwoot.failNext("unavailable", { operation: "createMessage" });
    const outcome = await postAccepted(postDeps(), HELLO, { acceptedAtMs: now - WINDOW_MS, attempt: 40 });
    expect(outcome).toEqual({
      kind: "failed",
      code: "chatwoot_unavailable",
      message: "Not posted within 1m: Chatwoot is unavailable (createMessage)",
    });
  });

  it("reports Chatwoot's refusal at once, with its reason, and never retries it", async () => {
    await seedKnownUser(fakes, "u-1");
    fakes.chatwoot.failNext("rejected", { operation: "createMessage" });
    const outcome = await postAccepted(postDeps(), HELLO, { acceptedAtMs: now, attempt: 1 });
    expect(outcome).toMatchObject({ kind: "failed", code: "chatwoot_rejected" });
    expect(fakes.chatwoot.messages).toEqual([]);
  });
});

describe("backoffSeconds", () => {
  it("starts at 5 s, doubles, and stays at 5 minutes", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 100].map(backoffSeconds)).toEqual([5, 10, 20, 40, 80, 160, 300, 300, 300]);
  });
});
