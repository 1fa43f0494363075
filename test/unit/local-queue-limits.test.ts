// The in-process queue refuses what SQS would (visibility over 12 h, retention outside 1 min-14 days) and
// deletes what SQS deletes: a message older than the retention period, received or not.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { LocalQueue, type LocalQueueOptions } from "../../dev/local-queue/queue.js";
import { createLogger } from "../../functions/log.js";
import { MAX_MESSAGE_BYTES } from "../../stacks/queue-limits.js";
import { ScriptedWorker } from "../support/queue-consumers.js";

const START = Date.parse("2026-06-20T14:00:00.000Z");
const lines: string[] = [];
const log = createLogger({}, (line) => lines.push(line));
const queues: LocalQueue[] = [];

function makeQueue(options: Partial<LocalQueueOptions> = {}): LocalQueue {
  const queue = new LocalQueue({ visibilityTimeoutSeconds: 60, maxReceiveCount: 5, log, ...options });
  queues.push(queue);
  return queue;
}

beforeEach(() => {
  vi.useFakeTimers({ now: START });
  lines.length = 0;
});

afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(queues.splice(0).map((q) => q.close()));
});

describe("the local queue's SQS limits", () => {
  it("holds 1 MiB, the stack's maximumMessageSize, and not a byte more", async () => {
    const queue = makeQueue();
    await expect(
      queue.enqueue({ groupId: "g", deduplicationId: "a", body: "x".repeat(MAX_MESSAGE_BYTES + 1) }),
    ).rejects.toThrow("SendMessage refused: the body must be 1 to 1048576 bytes");
    await queue.enqueue({ groupId: "g", deduplicationId: "b", body: "x".repeat(MAX_MESSAGE_BYTES) });
    expect(queue.stats().visible).toBe(1);
  });

  it("is not created with a visibility timeout over 12 hours or a retention SQS does not allow", () => {
    expect(() => makeQueue({ visibilityTimeoutSeconds: 43_201 })).toThrow(
      "VisibilityTimeout must be an integer from 0 to 43200",
    );
    expect(() => makeQueue({ retentionSeconds: 59 })).toThrow(
      "MessageRetentionPeriod must be an integer from 60 to 1209600",
    );
    expect(() => makeQueue({ retentionSeconds: 1_209_601 })).toThrow("MessageRetentionPeriod");
    expect(() => makeQueue({ visibilityTimeoutSeconds: 43_200, retentionSeconds: 1_209_600 })).not.toThrow();
  });

  it("deletes a message unreceived once it is older than the retention period, as SQS does", async () => {
    const queue = makeQueue({ retentionSeconds: 60 });
    await queue.enqueue({ groupId: "g", deduplicationId: "old", body: "old" });
    await vi.advanceTimersByTimeAsync(30_000);
    await queue.enqueue({ groupId: "g", deduplicationId: "young", body: "young" });
    await vi.advanceTimersByTimeAsync(30_000);
    const worker = new ScriptedWorker();
    worker.control = queue;
    queue.setConsumer(worker.consumer);
    await queue.drained();
    expect(worker.bodies()).toEqual([["young"]]);
    expect(lines.filter((line) => line.includes('"queue.expired"')).length).toBe(1);
  });
});
