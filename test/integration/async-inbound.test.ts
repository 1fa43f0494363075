// Accepted now, posted later (spec §3.3 `Prefer: respond-async`) end to end: 202 before any Chatwoot call, posted
// once and in the user's order through a Chatwoot outage, and the outcome delivered as message.posted / message.failed.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { receiverOf, sandboxOf, startTestBridge, type TestBridge } from "../support/bridge.js";

let t: TestBridge;
beforeAll(async () => {
  // No wait between attempts: the outage below is "the next N calls fail", so the test never sleeps.
  t = await startTestBridge({}, { inboundRetryDelaySeconds: () => 0 });
});
afterAll(async () => t.close());
beforeEach(() => sandboxOf(t).clearFaults());

const ASYNC = { prefer: "respond-async" };
const sandbox = () => sandboxOf(t);

interface Outcome {
  type: string;
  timestamp: string;
  data: Record<string, unknown> & { user_id: string; message_id: string };
}

const outcomeOf = (userId: string, messageId: string) =>
  receiverOf(t)
    .next((d) => {
      const body = d.body as Outcome;
      return body.data?.user_id === userId && body.data.message_id === messageId;
    })
    .then((d) => ({ webhookId: d.webhookId, body: d.body as Outcome }));

const contentsOf = (conversationId: number) =>
  sandbox()
    .messages(conversationId)
    .filter((m) => m.messageType === "incoming")
    .map((m) => m.content);

describe("a message sent with Prefer: respond-async", () => {
  it("is answered 202 queued, then posted, and its 201 body is delivered as message.posted", async () => {
    const answer = await t.api("POST", "/messages", { user_id: "as-1", message_id: "m-1", content: "hi" }, ASYNC);
    expect(answer.status).toBe(202);
    expect(answer.body).toEqual({ message_id: "m-1", status: "queued" });
    expect(answer.headers.get("preference-applied")).toBe("respond-async");

    const { webhookId, body } = await outcomeOf("as-1", "m-1");
    expect(webhookId).toMatch(/^msg_posted_[0-9a-f]{40}$/);
    const conversationId = body.data.conversation_id as number;
    expect(body).toEqual({
      type: "message.posted",
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      data: {
        user_id: "as-1",
        thread_id: null,
        conversation_id: conversationId,
        message_id: "m-1",
        chatwoot_message_id: expect.any(Number),
        contact_id: expect.any(Number),
        source_id: expect.any(String),
        duplicate: false,
      },
    });
    expect(contentsOf(conversationId)).toEqual(["hi"]);
    // Posted already: answered as in sync mode, with the same body, and nothing is posted again.
    const again = await t.api("POST", "/messages", { user_id: "as-1", message_id: "m-1", content: "hi" }, ASYNC);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ ...body.data, thread_id: undefined, user_id: undefined, duplicate: true });
    expect(contentsOf(conversationId)).toEqual(["hi"]);
  });

  it("posts every message once and in order through a Chatwoot outage longer than several retries", async () => {
    sandbox().addFault({ route: "*", kind: "error", status: 503, times: 20 });
    const ids = ["o-1", "o-2", "o-3"];
    for (const id of ids) {
      const answer = await t.api(
        "POST",
        "/messages",
        { user_id: "as-2", message_id: id, content: `text ${id}` },
        ASYNC,
      );
      expect(answer.status).toBe(202);
    }
    const outcomes = [];
    for (const id of ids) outcomes.push(await outcomeOf("as-2", id));
    expect(outcomes.map((o) => [o.body.type, o.body.data.message_id])).toEqual(ids.map((id) => ["message.posted", id]));
    const conversationId = outcomes[0]?.body.data.conversation_id as number;
    expect(outcomes.every((o) => o.body.data.conversation_id === conversationId)).toBe(true);
    expect(contentsOf(conversationId)).toEqual(["text o-1", "text o-2", "text o-3"]);
    expect(sandbox().faults()).toEqual([]);
    const retried = t.logLines.filter((line) => line.includes('"inbound.attempt_failed"'));
    expect(retried.length).toBeGreaterThanOrEqual(4);
    // Ids and outcomes only: never the text or the user_id (STYLE.md §7).
    const logs = t.logLines.join("\n");
    expect([logs.includes("text o-"), logs.includes('"as-2"')]).toEqual([false, false]);
  });

  it("reports a message Chatwoot refuses as message.failed with Chatwoot's reason, and posts nothing", async () => {
    await t.api("POST", "/messages", { user_id: "as-3", message_id: "open", content: "first" });
    sandbox().addFault({
      route: "POST /conversations/:id/messages",
      kind: "error",
      status: 422,
      body: { message: "Content is not allowed here" },
      times: 1,
    });
    const answer = await t.api("POST", "/messages", { user_id: "as-3", message_id: "bad", content: "no" }, ASYNC);
    expect(answer.status).toBe(202);
    const { webhookId, body } = await outcomeOf("as-3", "bad");
    expect(webhookId).toMatch(/^msg_failed_[0-9a-f]{40}$/);
    expect(body).toEqual({
      type: "message.failed",
      timestamp: expect.any(String),
      data: {
        user_id: "as-3",
        thread_id: null,
        conversation_id: null,
        message_id: "bad",
        error: { code: "chatwoot_rejected", message: "Content is not allowed here" },
      },
    });
    const conversationId = sandbox().conversations().at(-1)?.displayId ?? 0;
    expect(contentsOf(conversationId)).toEqual(["first"]);
  });
});
