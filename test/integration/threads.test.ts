// Threads end to end (spec §1, §3.2–§3.4, §5): each (user, thread) has its own conversation, created on the way
// within the call budget, exactly once under races across processes sharing one store.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { receiverOf, sandboxOf, startTestBridge, type TestBridge } from "../support/bridge.js";
import { type Delivered, settle } from "../support/replies.js";

let t: TestBridge;
beforeAll(async () => {
  t = await startTestBridge({ CONVERSATION_AFTER_RESOLVED: "new" });
});
afterAll(async () => t.close());

const sandbox = () => sandboxOf(t);
const post = (body: Record<string, unknown>) => t.api("POST", "/messages", body);
const conversationOf = (answer: { body: unknown }) => (answer.body as { conversation_id: number }).conversation_id;
/** Chatwoot calls made by `work`, by route key. */
async function callsOf(work: () => Promise<unknown>): Promise<Record<string, number>> {
  sandbox().resetCalls();
  await work();
  return sandbox().calls();
}

describe("two threads of one user", () => {
  it("go to two conversations, each message in its own, within the call budget", async () => {
    let first: Awaited<ReturnType<typeof post>> | undefined;
    // A new user's first message on a thread: the contact, then the conversation carrying the message.
    expect(
      await callsOf(async () => {
        first = await post({ user_id: "ada", thread_id: "order-5521", message_id: "m1", content: "Where is 5521?" });
      }),
    ).toEqual({ "POST /contacts": 1, "POST /conversations": 1 });
    // A new thread of a known user: one conversation create carrying the message.
    let second: Awaited<ReturnType<typeof post>> | undefined;
    expect(
      await callsOf(async () => {
        second = await post({ user_id: "ada", thread_id: "order-5530", message_id: "m2", content: "And 5530?" });
      }),
    ).toEqual({ "POST /conversations": 1 });
    // A known thread: one message create.
    let third: Awaited<ReturnType<typeof post>> | undefined;
    expect(
      await callsOf(async () => {
        third = await post({ user_id: "ada", thread_id: "order-5521", message_id: "m3", content: "Any news?" });
      }),
    ).toEqual({ "POST /conversations/:id/messages": 1 });
    if (!first || !second || !third) throw new Error("unreachable");
    expect([first.status, second.status, third.status]).toEqual([201, 201, 201]);
    const [a, b] = [conversationOf(first), conversationOf(second)];
    expect(a).not.toBe(b);
    expect(conversationOf(third)).toBe(a);
    expect(
      sandbox()
        .messages(a)
        .map((m) => m.content),
    ).toEqual(["Where is 5521?", "Any news?"]);
    expect(
      sandbox()
        .messages(b)
        .map((m) => m.content),
    ).toEqual(["And 5530?"]);
    expect(
      sandbox()
        .contacts()
        .filter((c) => c.identifier === "ada"),
    ).toHaveLength(1);
  });

  it("deliver each reply with its thread_id, and null for the default thread", async () => {
    const threaded = conversationOf(await post({ user_id: "bea", thread_id: "t-1", message_id: "m1", content: "hi" }));
    const plain = conversationOf(await post({ user_id: "bea", message_id: "m2", content: "hello" }));
    expect(threaded).not.toBe(plain);
    for (const [conversationId, threadId] of [
      [threaded, "t-1"],
      [plain, null],
    ] as const) {
      const reply = sandbox().reply(conversationId, `reply in ${conversationId}`);
      const delivered = await receiverOf(t).next((d) => (d.body as Delivered).data.message?.id === reply.id);
      expect((delivered.body as Delivered).data).toMatchObject({
        user_id: "bea",
        thread_id: threadId,
        conversation_id: conversationId,
      });
    }
  });

  it("are listed by GET /contacts/{user_id}, the default thread first", async () => {
    const a = await t.api("POST", "/conversations", { user_id: "cy", thread_id: "x" });
    const b = await t.api("POST", "/conversations", { user_id: "cy" });
    expect([a.status, b.status]).toEqual([201, 201]);
    expect((a.body as { thread_id: unknown }).thread_id).toBe("x");
    expect((b.body as { thread_id: unknown }).thread_id).toBeNull();
    const again = await t.api("POST", "/conversations", { user_id: "cy", thread_id: "x" });
    expect([again.status, conversationOf(again)]).toEqual([200, conversationOf(a)]);
    const read = await t.api("GET", "/contacts/cy");
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({
      user_id: "cy",
      thread_id: null,
      conversation_id: conversationOf(b),
      threads: [
        { thread_id: null, conversation_id: conversationOf(b), status: "open" },
        { thread_id: "x", conversation_id: conversationOf(a), status: "open" },
      ],
    });
  });

  it("resolved with policy new: the next message opens a new conversation for that thread only", async () => {
    const one = conversationOf(await post({ user_id: "dee", thread_id: "one", message_id: "m1", content: "a" }));
    const two = conversationOf(await post({ user_id: "dee", thread_id: "two", message_id: "m2", content: "b" }));
    sandbox().resolve(one);
    await settle(t);
    const read = await t.api("GET", "/contacts/dee");
    expect((read.body as { threads: unknown[] }).threads).toContainEqual({
      thread_id: "one",
      conversation_id: one,
      status: "resolved",
    });
    const next = conversationOf(await post({ user_id: "dee", thread_id: "one", message_id: "m3", content: "c" }));
    const same = conversationOf(await post({ user_id: "dee", thread_id: "two", message_id: "m4", content: "d" }));
    expect(next).not.toBe(one);
    expect(same).toBe(two);
    expect(
      sandbox()
        .messages(next)
        .map((m) => m.content),
    ).toEqual(["c"]);
  });

  it("keeps message_id unique per user: the same message_id on another thread is a conflict, and posts nothing", async () => {
    const first = await post({ user_id: "fay", thread_id: "a", message_id: "m1", content: "same words" });
    expect(first.status).toBe(201);
    sandbox().resetCalls();
    const other = await post({ user_id: "fay", thread_id: "b", message_id: "m1", content: "same words" });
    expect(other.status).toBe(409);
    expect(other.body).toMatchObject({ error: { code: "idempotency_conflict" } });
    expect(sandbox().calls()).toEqual({});
    const again = await post({ user_id: "fay", thread_id: "a", message_id: "m1", content: "same words" });
    expect([again.status, (again.body as { duplicate: boolean }).duplicate]).toEqual([200, true]);
  });

  it("refuses an empty or over-long thread_id with a JSON error naming it, and changes nothing", async () => {
    sandbox().resetCalls();
    for (const [threadId, reason] of [
      ["", "must not be empty"],
      ["x".repeat(256), "must be at most 255 characters"],
    ]) {
      const answer = await post({ user_id: "eve", thread_id: threadId, message_id: "m1", content: "hi" });
      expect(answer.status).toBe(400);
      const error = (answer.body as { error: { code: string; details: Array<{ path: string; message: string }> } })
        .error;
      expect(error.code).toBe("validation_failed");
      expect(error.details).toContainEqual({ path: "thread_id", message: reason });
    }
    expect(sandbox().calls()).toEqual({});
    expect((await t.api("GET", "/contacts/eve")).status).toBe(404);
  });
});

describe("20 concurrent first messages on 4 threads of a new user, across two bridges sharing one store", () => {
  let other: TestBridge;
  beforeAll(async () => {
    const config = t.bridge.config;
    other = await startTestBridge({
      DYNAMODB_ENDPOINT: config.dynamodbEndpoint?.href ?? "",
      CHATWOOT_BASE_URL: sandbox().url,
      CHATWOOT_ACCOUNT_ID: String(sandbox().accountId),
      CHATWOOT_INBOX_ID: String(sandbox().inboxId),
      CHATWOOT_API_TOKEN: sandbox().apiToken,
      CHATWOOT_WEBHOOK_SECRET: sandbox().webhookSecret,
    });
  });
  afterAll(async () => other.close());

  it("make 1 contact, 4 conversations and 20 messages", async () => {
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (i % 2 === 0 ? t : other).api("POST", "/messages", {
          user_id: "race",
          thread_id: `thread-${i % 4}`,
          message_id: `m-${i}`,
          content: `message ${i}`,
        }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(201));
    const contacts = sandbox()
      .contacts()
      .filter((c) => c.identifier === "race");
    expect(contacts).toHaveLength(1);
    const conversations = sandbox()
      .conversations()
      .filter((c) => c.contactId === contacts[0]?.id);
    expect(conversations).toHaveLength(4);
    const byThread = new Map<number, Set<number>>();
    answers.forEach((answer, i) => {
      const set = byThread.get(i % 4) ?? new Set<number>();
      set.add(conversationOf(answer));
      byThread.set(i % 4, set);
    });
    expect([...byThread.values()].map((set) => set.size)).toEqual([1, 1, 1, 1]);
    const messages = conversations.flatMap((c) => sandbox().messages(c.displayId));
    expect(messages.map((m) => m.content).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `message ${i}`).sort());
  });
});
