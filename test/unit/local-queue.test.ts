// The in-process queue's SQS FIFO rules: order within a group under retries, dedup, visibility,
// receive counts, redrive, partial batch failures. Time is vitest's fake clock; nothing sleeps.
import { createHash } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { LocalQueue, type LocalQueueOptions } from "../../dev/local-queue/queue.js";
import { createLogger } from "../../functions/log.js";
import { HeldConsumer, ScriptedWorker, type Outcome } from "../support/queue-consumers.js";

const START = Date.parse("2026-06-20T14:00:00.000Z");
const quiet = createLogger({}, () => undefined);
const queues: LocalQueue[] = [];

/** A queue with no consumer yet, so a test can build a backlog before the first receive. */
function makeQueue(options: Partial<LocalQueueOptions> = {}): LocalQueue {
  const queue = new LocalQueue({ visibilityTimeoutSeconds: 60, maxReceiveCount: 5, log: quiet, ...options });
  queues.push(queue);
  return queue;
}

function start(queue: LocalQueue, outcome?: (body: string, receiveCount: number) => Outcome): ScriptedWorker {
  const worker = new ScriptedWorker(outcome);
  worker.control = queue;
  queue.setConsumer(worker.consumer);
  return worker;
}

async function backlog(queue: LocalQueue, items: Array<[group: string, body: string]>): Promise<void> {
  for (const [groupId, body] of items) await queue.enqueue({ groupId, deduplicationId: `id-${body}`, body });
}

beforeEach(() => {
  vi.useFakeTimers({ now: START });
});

afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(queues.splice(0).map((q) => q.close()));
});

describe("order within a message group", () => {
  it("holds the group's later messages while the first waits for its retry, then sends them in order", async () => {
    const queue = makeQueue();
    await backlog(queue, [
      ["conv-1", "a1"],
      ["conv-1", "a2"],
      ["conv-1", "a3"],
    ]);
    const worker = start(queue, (body, count) => (body === "a1" && count === 1 ? { retryInSeconds: 30 } : "ok"));

    await queue.idle();
    await vi.advanceTimersByTimeAsync(29_999);
    expect(worker.bodies()).toEqual([["a1", "a2", "a3"]]);
    await vi.advanceTimersByTimeAsync(1);
    await queue.drained();

    expect(worker.batches).toEqual([
      [
        { body: "a1", receiveCount: 1 },
        { body: "a2", receiveCount: 1 },
        { body: "a3", receiveCount: 1 },
      ],
      [
        { body: "a1", receiveCount: 2 },
        { body: "a2", receiveCount: 2 },
        { body: "a3", receiveCount: 2 },
      ],
    ]);
  });

  it("lets other groups flow while one group waits for a retry", async () => {
    const queue = makeQueue();
    const worker = start(queue, (body, count) => (body === "a1" && count === 1 ? { retryInSeconds: 600 } : "ok"));
    await queue.enqueue({ groupId: "conv-1", deduplicationId: "a1", body: "a1" });
    await queue.idle();
    await queue.enqueue({ groupId: "conv-2", deduplicationId: "b1", body: "b1" });
    await queue.idle();

    expect(worker.bodies()).toEqual([["a1"], ["b1"]]);
    expect(queue.stats()).toEqual({ visible: 0, inFlight: 0, invisible: 1, deadLetters: 0 });
  });

  it("keeps a group locked while any of its messages is hidden, as SQS FIFO does", async () => {
    const queue = makeQueue();
    await backlog(queue, [
      ["conv-1", "a1"],
      ["conv-1", "a2"],
    ]);
    // First batch: a1 asks for 5 s; a2 is reported failed without a visibility change, so it hides for the 60 s timeout.
    const seen: string[][] = [];
    queue.setConsumer(async (event) => {
      seen.push(event.Records.map((r) => r.body));
      if (seen.length > 1) return;
      const [a1] = event.Records;
      if (a1) await queue.setVisibility(a1.receiptHandle, 5);
      return { batchItemFailures: event.Records.map((r) => ({ itemIdentifier: r.messageId })) };
    });

    await queue.idle();
    await vi.advanceTimersByTimeAsync(59_999);
    expect(seen).toEqual([["a1", "a2"]]);
    await vi.advanceTimersByTimeAsync(1);
    await queue.drained();
    expect(seen).toEqual([
      ["a1", "a2"],
      ["a1", "a2"],
    ]);
  });

  it("never runs two invocations for one group at once, even with one-record batches", async () => {
    const queue = makeQueue({ batchSize: 1 });
    await backlog(queue, [
      ["conv-1", "a1"],
      ["conv-1", "a2"],
      ["conv-2", "b1"],
    ]);
    const held = new HeldConsumer();
    queue.setConsumer(held.consumer);

    expect([await held.next(), await held.next()]).toEqual([["a1"], ["b1"]]);
    expect(queue.stats()).toEqual({ visible: 1, inFlight: 2, invisible: 0, deadLetters: 0 });
    held.release(0);
    expect(await held.next()).toEqual(["a2"]);
    held.releaseAll();
    await queue.drained();
    expect(held.invocations).toEqual([["a1"], ["b1"], ["a2"]]);
  });

  it("retries only the records reported failed; the batch's successes are deleted", async () => {
    const queue = makeQueue();
    await backlog(queue, [
      ["conv-1", "a1"],
      ["conv-1", "a2"],
      ["conv-1", "a3"],
      ["conv-2", "b1"],
    ]);
    const worker = start(queue, (body, count) => (body === "a2" && count === 1 ? { retryInSeconds: 10 } : "ok"));

    await queue.idle();
    // a3 was released at once but waits behind a2 in its group.
    expect(queue.stats()).toEqual({ visible: 1, inFlight: 0, invisible: 1, deadLetters: 0 });
    await vi.advanceTimersByTimeAsync(10_000);
    await queue.drained();
    expect(worker.batches).toEqual([
      [
        { body: "a1", receiveCount: 1 },
        { body: "a2", receiveCount: 1 },
        { body: "a3", receiveCount: 1 },
        { body: "b1", receiveCount: 1 },
      ],
      [
        { body: "a2", receiveCount: 2 },
        { body: "a3", receiveCount: 2 },
      ],
    ]);
  });
});

describe("deduplication", () => {
  it("accepts and drops a second send with the same deduplication id within five minutes", async () => {
    const queue = makeQueue();
    await queue.enqueue({ groupId: "conv-1", deduplicationId: "evt-1", body: "first" });
    await queue.enqueue({ groupId: "conv-1", deduplicationId: "evt-1", body: "second" });
    const worker = start(queue);
    await queue.drained();
    expect(worker.bodies()).toEqual([["first"]]);
  });

  it("deduplicates on the body's sha256 when no deduplication id is given", async () => {
    const queue = makeQueue();
    await queue.enqueue({ groupId: "conv-1", deduplicationId: "", body: "same" });
    await queue.enqueue({ groupId: "conv-2", deduplicationId: "", body: "same" });
    await queue.enqueue({ groupId: "conv-1", deduplicationId: "", body: "other" });
    const worker = start(queue);
    await queue.drained();
    expect(worker.bodies()).toEqual([["same", "other"]]);
    const sha = createHash("sha256").update("same").digest("hex");
    expect(worker.events[0]?.Records[0]?.attributes.MessageDeduplicationId).toBe(sha);
  });

  it("accepts the same id again once five minutes have passed since its first send", async () => {
    const queue = makeQueue();
    const worker = start(queue);
    await queue.enqueue({ groupId: "conv-1", deduplicationId: "evt-1", body: "one" });
    await vi.advanceTimersByTimeAsync(5 * 60_000 - 1);
    await queue.enqueue({ groupId: "conv-1", deduplicationId: "evt-1", body: "two" });
    await vi.advanceTimersByTimeAsync(1);
    await queue.enqueue({ groupId: "conv-1", deduplicationId: "evt-1", body: "three" });
    await queue.drained();
    expect(worker.bodies()).toEqual([["one"], ["three"]]);
  });
});

describe("visibility and failures", () => {
  it("hides a record reported failed until the visibility timeout ends", async () => {
    const queue = makeQueue();
    await backlog(queue, [["conv-1", "a1"]]);
    const worker = start(queue, (_body, count) => (count === 1 ? "fail" : "ok"));
    await queue.idle();
    await vi.advanceTimersByTimeAsync(59_999);
    expect(worker.batches).toEqual([[{ body: "a1", receiveCount: 1 }]]);
    await vi.advanceTimersByTimeAsync(1);
    await queue.drained();
    expect(worker.batches).toEqual([[{ body: "a1", receiveCount: 1 }], [{ body: "a1", receiveCount: 2 }]]);
    const firstReceives = worker.events.map((e) => e.Records[0]?.attributes.ApproximateFirstReceiveTimestamp);
    expect(firstReceives).toEqual([String(START), String(START)]);
  });

  it("receives a record again at once when the worker sets its visibility to 0", async () => {
    const queue = makeQueue();
    await backlog(queue, [["conv-1", "a1"]]);
    const worker = start(queue, (_body, count) => (count === 1 ? { retryInSeconds: 0 } : "ok"));
    await queue.drained();
    expect(worker.batches).toEqual([[{ body: "a1", receiveCount: 1 }], [{ body: "a1", receiveCount: 2 }]]);
    expect(Date.now()).toBe(START);
  });

  it("refuses to change the visibility of a deleted message, or to an out-of-range delay", async () => {
    const queue = makeQueue();
    await backlog(queue, [["conv-1", "a1"]]);
    const worker = start(queue);
    await queue.drained();
    const handle = worker.events[0]?.Records[0]?.receiptHandle ?? "";
    await expect(queue.setVisibility(handle, 5)).rejects.toThrow("not in flight");
    await expect(queue.setVisibility(handle, 43_201)).rejects.toThrow("0 to 43200");
    await expect(queue.setVisibility(handle, 1.5)).rejects.toThrow("0 to 43200");
  });

  it("keeps the whole batch when the consumer throws, and receives it again after the visibility timeout", async () => {
    const queue = makeQueue();
    await backlog(queue, [
      ["conv-1", "a1"],
      ["conv-2", "b1"],
    ]);
    const worker = start(queue, (body, count) => (body === "a1" && count === 1 ? "throw" : "ok"));
    await queue.idle();
    expect(queue.stats()).toEqual({ visible: 0, inFlight: 0, invisible: 2, deadLetters: 0 });
    await vi.advanceTimersByTimeAsync(60_000);
    await queue.drained();
    expect(worker.bodies()).toEqual([
      ["a1", "b1"],
      ["a1", "b1"],
    ]);
  });

  it("keeps the whole batch when the response names a record that was not in it, as Lambda does", async () => {
    const queue = makeQueue({ visibilityTimeoutSeconds: 1 });
    await backlog(queue, [
      ["conv-1", "a1"],
      ["conv-2", "b1"],
    ]);
    let calls = 0;
    queue.setConsumer(async () =>
      ++calls === 1 ? { batchItemFailures: [{ itemIdentifier: "not-a-record" }] } : undefined,
    );
    await queue.idle();
    expect(queue.stats()).toEqual({ visible: 0, inFlight: 0, invisible: 2, deadLetters: 0 });
    await vi.advanceTimersByTimeAsync(1000);
    await queue.drained();
    expect(calls).toBe(2);
  });
});

describe("receive counts and dead letters", () => {
  it("moves a message received maxReceiveCount times to the dead letters on its next receive, then the group flows", async () => {
    const letters: unknown[] = [];
    const queue = makeQueue({ maxReceiveCount: 3, batchSize: 1, onDeadLetter: (letter) => letters.push(letter) });
    await backlog(queue, [
      ["conv-1", "a1"],
      ["conv-1", "a2"],
    ]);
    const worker = start(queue, (body) => (body === "a1" ? { retryInSeconds: 10 } : "ok"));

    await queue.idle();
    await vi.advanceTimersByTimeAsync(20_000);
    expect(letters).toEqual([]);
    await vi.advanceTimersByTimeAsync(10_000);
    await queue.drained();

    expect(worker.batches).toEqual([
      [{ body: "a1", receiveCount: 1 }],
      [{ body: "a1", receiveCount: 2 }],
      [{ body: "a1", receiveCount: 3 }],
      [{ body: "a2", receiveCount: 1 }],
    ]);
    const letter = { body: "a1", groupId: "conv-1", deduplicationId: "id-a1", receiveCount: 3 };
    expect(letters).toEqual([letter]);
    expect(queue.deadLetters()).toEqual([letter]);
    expect(queue.stats()).toEqual({ visible: 0, inFlight: 0, invisible: 0, deadLetters: 1 });
  });

  it("counts receives of followers reported failed behind their group's head, as SQS does", async () => {
    // Why the worker must not let SQS redrive decide alone: a2 reaches the limit without one attempt of its own.
    const queue = makeQueue({ maxReceiveCount: 2 });
    await backlog(queue, [
      ["conv-1", "a1"],
      ["conv-1", "a2"],
    ]);
    const worker = start(queue, (body) => (body === "a1" ? { retryInSeconds: 10 } : "ok"));
    await queue.idle();
    await vi.advanceTimersByTimeAsync(20_000);
    await queue.drained();
    expect(worker.bodies()).toEqual([
      ["a1", "a2"],
      ["a1", "a2"],
    ]);
    expect(queue.deadLetters().map((l) => [l.body, l.receiveCount])).toEqual([
      ["a1", 2],
      ["a2", 2],
    ]);
  });
});

describe("records handed to the consumer", () => {
  it("have the SQS event shape a Lambda subscriber receives", async () => {
    const queue = makeQueue({ queueName: "bridge-delivery.fifo" });
    await queue.enqueue({ groupId: "conv-287", deduplicationId: "evt-91207", body: '{"type":"message.created"}' });
    await vi.advanceTimersByTimeAsync(1500);
    const worker = start(queue);
    await queue.drained();
    const record = worker.events[0]?.Records[0];
    expect(worker.events[0]?.Records).toHaveLength(1);
    expect(record).toEqual({
      messageId: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
      receiptHandle: expect.stringMatching(/^[A-Za-z0-9_-]{32}$/),
      body: '{"type":"message.created"}',
      attributes: {
        ApproximateReceiveCount: "1",
        SentTimestamp: String(START),
        SenderId: "LOCAL",
        ApproximateFirstReceiveTimestamp: String(START + 1500),
        SequenceNumber: "00000000000000000001",
        MessageGroupId: "conv-287",
        MessageDeduplicationId: "evt-91207",
      },
      messageAttributes: {},
      md5OfBody: createHash("md5").update('{"type":"message.created"}').digest("hex"),
      eventSource: "aws:sqs",
      eventSourceARN: "arn:aws:sqs:local:000000000000:bridge-delivery.fifo",
      awsRegion: "local",
    });
  });

  it("refuses what SendMessage would refuse (1 MiB bodies, as the stack's queues), and queues nothing", async () => {
    const queue = makeQueue();
    await expect(queue.enqueue({ groupId: "g".repeat(129), deduplicationId: "x", body: "b" })).rejects.toThrow(
      "MessageGroupId",
    );
    await expect(queue.enqueue({ groupId: "conv 1", deduplicationId: "x", body: "b" })).rejects.toThrow(
      "MessageGroupId",
    );
    await expect(queue.enqueue({ groupId: "g", deduplicationId: "x".repeat(129), body: "b" })).rejects.toThrow(
      "MessageDeduplicationId",
    );
    await expect(queue.enqueue({ groupId: "g", deduplicationId: "x", body: "" })).rejects.toThrow("body");
    await expect(queue.enqueue({ groupId: "g", deduplicationId: "x", body: "é".repeat(524_289) })).rejects.toThrow(
      "body",
    );
    expect(queue.stats()).toEqual({ visible: 0, inFlight: 0, invisible: 0, deadLetters: 0 });
    await queue.enqueue({ groupId: "g", deduplicationId: "x", body: "é".repeat(524_288) });
    expect(queue.stats()).toEqual({ visible: 1, inFlight: 0, invisible: 0, deadLetters: 0 });
  });
});
