// `Prefer: respond-async` (spec §3.3): the header's bad-input matrix and the message_id rules. Every refusal leaves
// nothing behind: no queued message, no Chatwoot call, no delivery.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { receiverOf, sandboxOf, startTestBridge, type TestBridge } from "../support/bridge.js";

let t: TestBridge;
beforeAll(async () => {
  t = await startTestBridge({}, { inboundRetryDelaySeconds: () => 0 });
});
afterAll(async () => t.close());
beforeEach(() => {
  sandboxOf(t).clearFaults();
  sandboxOf(t).resetCalls();
});

const ASYNC = { prefer: "respond-async" };
const nothingQueued = { visible: 0, inFlight: 0, invisible: 0, deadLetters: 0 };

async function expectNothingChanged(deliveriesBefore: number): Promise<void> {
  expect(t.bridge.inboundQueue.stats()).toEqual(nothingQueued);
  expect(sandboxOf(t).calls()).toEqual({});
  await t.bridge.queue.drained();
  expect(receiverOf(t).received().length).toBe(deliveriesBefore);
}

describe("the Prefer header", () => {
  it.each([
    ["respond-async without a message_id", { user_id: "hdr-1", content: "x" }, ASYNC, 400, "validation_failed"],
    ["respond-async with an invalid body", { user_id: "hdr-1", message_id: "m" }, ASYNC, 400, "validation_failed"],
    [
      "respond-async with an unknown field",
      { user_id: "hdr-1", message_id: "m", content: "x", extra: 1 },
      ASYNC,
      400,
      "validation_failed",
    ],
    [
      "respond-async with a wrong key",
      { user_id: "hdr-1", message_id: "m", content: "x" },
      { ...ASYNC, authorization: "Bearer wrong-key-0123456789" },
      401,
      "unauthorized",
    ],
    ["respond-async with non-JSON", "not json", ASYNC, 400, "invalid_json"],
  ])("refuses %s and queues nothing", async (_, body, headers, status, code) => {
    const before = receiverOf(t).received().length;
    const answer = await t.api("POST", "/messages", body, headers);
    expect([answer.status, (answer.body as { error: { code: string } }).error.code]).toEqual([status, code]);
    await expectNothingChanged(before);
  });

  it("names message_id as what is missing", async () => {
    const answer = await t.api("POST", "/messages", { user_id: "hdr-2", content: "x" }, ASYNC);
    expect(answer.body).toEqual({
      error: {
        code: "validation_failed",
        message: "message_id is required with Prefer: respond-async",
        details: [{ path: "message_id", message: "required with Prefer: respond-async" }],
      },
    });
  });

  it.each([
    ["RESPOND-ASYNC", 202],
    ["wait=10, respond-async", 202],
    ["respond-async; foo=bar", 202],
    ["return=minimal", 201],
    ["respond-asynchronously", 201],
    ["", 201],
  ])("reads Prefer: %s as %i", async (prefer, status) => {
    const messageId = `p:${prefer}`;
    const answer = await t.api(
      "POST",
      "/messages",
      { user_id: "hdr-3", message_id: messageId, content: "x" },
      { prefer },
    );
    expect(answer.status).toBe(status);
    await t.bridge.inboundQueue.drained();
  });
});

describe("a message_id accepted for later", () => {
  it("is answered 202 again while it waits, 409 with other content, and posted once", async () => {
    sandboxOf(t).addFault({ route: "*", kind: "error", status: 503 });
    const body = { user_id: "dup-1", message_id: "d-1", content: "once" };
    expect((await t.api("POST", "/messages", body, ASYNC)).status).toBe(202);
    const again = await t.api("POST", "/messages", body, ASYNC);
    expect([again.status, again.body]).toEqual([202, { message_id: "d-1", status: "queued" }]);
    const other = await t.api("POST", "/messages", { ...body, content: "twice" }, ASYNC);
    expect([other.status, (other.body as { error: { code: string } }).error.code]).toEqual([
      409,
      "idempotency_conflict",
    ]);
    // The same message_id sent without the header while it waits is refused too, with other content.
    const syncOther = await t.api("POST", "/messages", { ...body, content: "twice" });
    expect(syncOther.status).toBe(409);

    sandboxOf(t).clearFaults();
    const posted = await receiverOf(t).next(
      (d) => (d.body as { data: { message_id?: string } }).data.message_id === "d-1",
    );
    expect((posted.body as { type: string }).type).toBe("message.posted");
    await t.bridge.inboundQueue.drained();
    await t.bridge.queue.drained();
    const incoming = sandboxOf(t)
      .messages()
      .filter((m) => m.messageType === "incoming" && m.content === "once");
    expect(incoming.length).toBe(1);
    const outcomes = receiverOf(t)
      .received()
      .filter((d) => (d.body as { data: { message_id?: string } }).data.message_id === "d-1");
    expect(outcomes.length).toBe(1);
  });

  it("answers 200 duplicate for a message_id posted synchronously before", async () => {
    const body = { user_id: "dup-2", message_id: "d-2", content: "sync first" };
    const first = await t.api("POST", "/messages", body);
    expect(first.status).toBe(201);
    sandboxOf(t).resetCalls();
    const again = await t.api("POST", "/messages", body, ASYNC);
    expect([again.status, again.body]).toEqual([200, { ...(first.body as object), duplicate: true }]);
    expect(t.bridge.inboundQueue.stats()).toEqual(nothingQueued);
    expect(sandboxOf(t).calls()).toEqual({});
  });
});
