// The in-process queue's log (dev/local-queue/journal.ts): a change is one appended line, so a crash loses nothing
// acknowledged, a line cut short by the crash is skipped, and the log is folded into the snapshot as it grows.
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadQueueFile } from "../../dev/local-queue/file.js";
import { LocalQueue } from "../../dev/local-queue/queue.js";
import { createLogger } from "../../functions/log.js";
import { ScriptedWorker } from "../support/queue-consumers.js";

const quiet = createLogger({}, () => undefined);
let dir: string;
let path: string;
const open: LocalQueue[] = [];

function makeQueue(): LocalQueue {
  const queue = new LocalQueue({ visibilityTimeoutSeconds: 60, maxReceiveCount: 5, persistPath: path, log: quiet });
  open.push(queue);
  return queue;
}

const logLines = () => readFileSync(`${path}.log`, "utf8").split("\n").filter(Boolean);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "local-queue-log-"));
  path = join(dir, "queue.json");
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((q) => q.close().catch(() => undefined)));
  rmSync(dir, { recursive: true, force: true });
});

describe("the local queue's log", () => {
  it("appends one line per change instead of rewriting the queue, and brings it all back after a crash", async () => {
    const before = makeQueue();
    await before.enqueue({ groupId: "conv-1", deduplicationId: "a1", body: "a1" });
    await before.enqueue({ groupId: "conv-1", deduplicationId: "a2", body: "a2" });
    await before.enqueue({ groupId: "conv-2", deduplicationId: "b1", body: "b1" });
    expect(loadQueueFile(path, Date.now())).toBeUndefined();
    expect(logLines().map((line) => JSON.parse(line).op)).toEqual(["add", "add", "add"]);

    // No close(): the process died. The next start reads the log.
    const after = makeQueue();
    await after.enqueue({ groupId: "conv-1", deduplicationId: "a1", body: "a1 again" });
    const worker = new ScriptedWorker();
    after.setConsumer(worker.consumer);
    await after.drained();
    expect(worker.bodies().flat()).toEqual(["a1", "a2", "b1"]);
  });

  it("keeps receive counts and retry delays of the log's messages", async () => {
    const before = makeQueue();
    await before.enqueue({ groupId: "conv-1", deduplicationId: "a1", body: "a1" });
    const failing = new ScriptedWorker(() => ({ retryInSeconds: 600 }));
    failing.control = before;
    before.setConsumer(failing.consumer);
    await before.idle();
    await before.saved();
    expect(before.stats()).toMatchObject({ invisible: 1 });

    const after = makeQueue();
    expect(after.stats()).toEqual({ visible: 0, inFlight: 0, invisible: 1, deadLetters: 0 });
  });

  it("skips a last line cut short by a crash, and refuses a log broken elsewhere", async () => {
    const before = makeQueue();
    await before.enqueue({ groupId: "conv-1", deduplicationId: "a1", body: "a1" });
    appendFileSync(`${path}.log`, '{"g":0,"op":"add","mess');
    expect(makeQueue().stats().visible).toBe(1);

    writeFileSync(`${path}.log`, `not json\n${readFileSync(`${path}.log`, "utf8")}`);
    expect(() => makeQueue()).toThrow(`The local queue log ${path}.log is not valid`);
  });

  it("folds the log into the snapshot once it outgrows the live messages; a restart reads only the lines after it", async () => {
    const queue = makeQueue();
    const worker = new ScriptedWorker();
    queue.setConsumer(worker.consumer);
    // Concurrent senders share one write and one fsync (group commit), as concurrent webhooks do.
    for (let batch = 0; batch < 8; batch++) {
      const ids = Array.from({ length: 500 }, (_, j) => `e${batch * 500 + j}`);
      await Promise.all(ids.map((id, j) => queue.enqueue({ groupId: `conv-${j % 7}`, deduplicationId: id, body: id })));
    }
    await queue.drained();
    await queue.saved();
    // 4,000 adds, receives and deletions are over 10,000 lines for nothing left: folded at least once.
    const folded = loadQueueFile(path, Date.now());
    expect(folded?.generation).toBeGreaterThanOrEqual(1);
    expect(logLines().length).toBeLessThan(10_000);

    const after = makeQueue();
    expect(after.stats()).toEqual({ visible: 0, inFlight: 0, invisible: 0, deadLetters: 0 });
    await after.enqueue({ groupId: "conv-1", deduplicationId: "e3999", body: "again" });
    expect(after.stats().visible).toBe(0);
  });
});
