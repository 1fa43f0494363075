// The in-process queue survives a restart of `npm start`: undelivered events, the dedup window,
// retry delays and dead letters come back from its file; an unreadable file stops the start.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { LocalQueue } from "../../dev/local-queue/queue.js";
import { loadQueueFile, saveQueueFile } from "../../dev/local-queue/file.js";
import type { StoredMessage } from "../../dev/local-queue/state.js";
import { createLogger } from "../../functions/log.js";
import { ScriptedWorker } from "../support/queue-consumers.js";

const START = Date.parse("2026-06-20T14:00:00.000Z");
const quiet = createLogger({}, () => undefined);
let dir: string;
let path: string;

function makeQueue(): LocalQueue {
  return new LocalQueue({ visibilityTimeoutSeconds: 60, maxReceiveCount: 5, persistPath: path, log: quiet });
}

function stored(overrides: Partial<StoredMessage>): StoredMessage {
  return {
    messageId: "m-1",
    sequenceNumber: "00000000000000000001",
    body: "a1",
    groupId: "conv-1",
    deduplicationId: "id-a1",
    sentTimestamp: START,
    firstReceiveTimestamp: START,
    receiveCount: 1,
    visibleAt: START + 60_000,
    receiptHandle: "handle-1",
    inInvocation: false,
    ...overrides,
  };
}

beforeEach(() => {
  vi.useFakeTimers({ now: START });
  dir = mkdtempSync(join(tmpdir(), "local-queue-"));
  path = join(dir, "nested", "queue.json");
});

afterEach(() => {
  vi.useRealTimers();
  rmSync(dir, { recursive: true, force: true });
});

describe("local queue persistence", () => {
  it("delivers after a restart what was queued before it, in order, and still drops a duplicate", async () => {
    const before = makeQueue();
    await before.enqueue({ groupId: "conv-1", deduplicationId: "evt-1", body: "a1" });
    await before.enqueue({ groupId: "conv-1", deduplicationId: "evt-2", body: "a2" });
    await before.enqueue({ groupId: "conv-2", deduplicationId: "", body: "b1" });
    await before.close();

    const after = makeQueue();
    await after.enqueue({ groupId: "conv-1", deduplicationId: "evt-1", body: "a1 again" });
    const worker = new ScriptedWorker();
    after.setConsumer(worker.consumer);
    await after.drained();
    await after.close();

    expect(worker.bodies()).toEqual([["a1", "a2", "b1"]]);
    expect(loadQueueFile(path, START)?.messages).toEqual([]);
    expect(readdirSync(join(dir, "nested"))).toEqual(["queue.json"]);
  });

  it("makes a message held by an invocation when the process stopped visible again, keeping a retry delay", () => {
    const letter = { body: "z1", groupId: "conv-9", deduplicationId: "id-z1", receiveCount: 5 };
    saveQueueFile(path, {
      nextSequence: 3,
      messages: [
        stored({ inInvocation: true }),
        stored({
          messageId: "m-2",
          sequenceNumber: "00000000000000000002",
          groupId: "conv-2",
          body: "b1",
          visibleAt: START + 600_000,
        }),
      ],
      deduplication: [["id-a1", START]],
      deadLetters: [letter],
    });

    const loaded = loadQueueFile(path, START + 1000);

    expect(loaded).toEqual({
      nextSequence: 3,
      messages: [
        stored({ receiptHandle: undefined, visibleAt: START + 1000 }),
        stored({
          messageId: "m-2",
          sequenceNumber: "00000000000000000002",
          groupId: "conv-2",
          body: "b1",
          visibleAt: START + 600_000,
          receiptHandle: undefined,
        }),
      ],
      deduplication: [["id-a1", START]],
      deadLetters: [letter],
    });
  });

  it("resumes receive counts and dead letters after a restart", async () => {
    const letter = { body: "z1", groupId: "conv-9", deduplicationId: "id-z1", receiveCount: 5 };
    saveQueueFile(path, {
      nextSequence: 2,
      messages: [stored({ inInvocation: true })],
      deduplication: [],
      deadLetters: [letter],
    });
    const queue = makeQueue();
    const worker = new ScriptedWorker();
    queue.setConsumer(worker.consumer);
    await queue.drained();
    await queue.close();
    expect(worker.batches).toEqual([[{ body: "a1", receiveCount: 2 }]]);
    expect(queue.deadLetters()).toEqual([letter]);
  });

  it("refuses to start from a file it cannot read, rather than dropping its events", () => {
    writeFileSync(join(dir, "broken.json"), '{"version":1,"messages":');
    path = join(dir, "broken.json");
    expect(() => makeQueue()).toThrow(
      `The local queue file ${path} is not a valid queue file; move it away to start empty`,
    );
  });
});
