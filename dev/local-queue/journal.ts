// Keeps the in-process queue across restarts at a cost that does not grow with its backlog: each change is one line
// appended to `<file>.log` as it happens, with one fsync per group of changes (SendMessage waits for its own); when
// the log outgrows the live messages it is folded into the snapshot file (file.ts) and started afresh.
import { closeSync, fsync, mkdirSync, openSync, rmSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { z } from "zod/mini";
import { readTextIfPresent } from "../../functions/adapters/text-file.js";
import { loadQueueFile, messageSchema, saveQueueFile } from "./file.js";
import { type QueueChange, type QueueSnapshot, toDeadLetter } from "./state.js";

/** Fold the log into the snapshot once it holds this many lines and several per live message. */
const COMPACT_MIN_LINES = 10_000;
const COMPACT_LINES_PER_MESSAGE = 3;

const receiveState = z.object({
  id: z.string(),
  receiveCount: z.number(),
  firstReceiveTimestamp: z.optional(z.number()),
  visibleAt: z.number(),
  inInvocation: z.boolean(),
});
const lineSchema = z.discriminatedUnion("op", [
  z.object({ g: z.number(), op: z.literal("add"), message: messageSchema }),
  z.object({ g: z.number(), op: z.literal("set"), ...receiveState.shape }),
  z.object({ g: z.number(), op: z.literal("del"), id: z.string() }),
  z.object({ g: z.number(), op: z.literal("dead"), id: z.string() }),
  z.object({
    g: z.number(),
    op: z.literal("letter"),
    letter: z.object({ body: z.string(), groupId: z.string(), deduplicationId: z.string(), receiveCount: z.number() }),
  }),
]);
type Line = z.infer<typeof lineSchema>;

interface Waiter {
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class QueueJournal {
  private readonly logPath: string;
  private fd: number;
  private generation: number;
  private lines: number;
  private waiters: Waiter[] = [];
  private syncing = false;
  private syncQueued = false;

  /** The saved queue (snapshot, then the log's changes of its generation), or undefined when there is none. */
  static load(path: string, now: number): { snapshot: QueueSnapshot | undefined; generation: number; lines: number } {
    const saved = loadQueueFile(path, now);
    const generation = saved?.generation ?? 0;
    const lines = readLines(`${path}.log`, path).filter((line) => line.g === generation);
    if (lines.length === 0) return { snapshot: saved, generation, lines: 0 };
    const base = saved ?? { nextSequence: 1, messages: [], deduplication: [], deadLetters: [] };
    return { snapshot: replay(base, lines, now), generation, lines: lines.length };
  }

  constructor(
    private readonly path: string,
    private readonly snapshotOf: () => QueueSnapshot,
    private readonly liveMessages: () => number,
    start: { generation: number; lines: number },
    private readonly onError: (error: unknown) => void,
  ) {
    this.logPath = `${path}.log`;
    this.generation = start.generation;
    this.lines = start.lines;
    mkdirSync(dirname(path), { recursive: true });
    this.fd = openSync(this.logPath, "a", 0o600);
  }

  /**
   * Writes the changes at once (a killed process loses none of them: a receive is on file before its consumer runs)
   * and settles once they are on disk: one fsync serves every change written while the previous one ran. A line is
   * tagged with the generation it was written in: one written before a fold is in that snapshot, so a restart skips it.
   */
  record(changes: QueueChange[]): Promise<void> {
    try {
      writeSync(this.fd, `${changes.map((change) => this.serialise(change)).join("\n")}\n`);
    } catch (error) {
      this.onError(error);
      return Promise.reject(error);
    }
    this.lines += changes.length;
    const synced = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    this.scheduleSync();
    return synced;
  }

  /** Resolves once every change recorded so far is on disk. */
  settled(): Promise<void> {
    if (!this.syncing && this.waiters.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  /** Folds everything into the snapshot and removes the log: a clean stop leaves one file. */
  close(): void {
    this.compact();
    closeSync(this.fd);
    rmSync(this.logPath, { force: true });
  }

  private serialise(change: QueueChange): string {
    const g = this.generation;
    if (change.op === "add") {
      const { receiptHandle: _handle, ...message } = change.message;
      return JSON.stringify({ g, op: "add", message });
    }
    if (change.op === "set") {
      const { messageId: id, receiveCount, firstReceiveTimestamp, visibleAt, inInvocation } = change.message;
      return JSON.stringify({ g, op: "set", id, receiveCount, firstReceiveTimestamp, visibleAt, inInvocation });
    }
    if (change.op === "letter") return JSON.stringify({ g, op: "letter", letter: change.letter });
    return JSON.stringify({ g, op: change.op, id: change.id });
  }

  private scheduleSync(): void {
    if (this.syncQueued || this.syncing) return;
    this.syncQueued = true;
    queueMicrotask(() => {
      this.syncQueued = false;
      this.sync();
    });
  }

  /** One fsync, on libuv's thread pool (the event loop keeps serving), for every change written before it began. */
  private sync(): void {
    const waiters = this.waiters;
    if (waiters.length === 0) return;
    this.waiters = [];
    this.syncing = true;
    fsync(this.fd, (error) => {
      this.syncing = false;
      if (error) {
        this.onError(error);
        for (const waiter of waiters) waiter.reject(error);
      } else {
        for (const waiter of waiters) waiter.resolve();
        if (this.lines >= Math.max(COMPACT_MIN_LINES, COMPACT_LINES_PER_MESSAGE * this.liveMessages())) {
          // The snapshot holds what the waiters since wrote too, and is on disk when it returns.
          this.compactQuietly();
          const later = this.waiters;
          this.waiters = [];
          for (const waiter of later) waiter.resolve();
        }
      }
      this.sync();
    });
  }

  private compactQuietly(): void {
    try {
      this.compact();
    } catch (error) {
      this.onError(error);
    }
  }

  /** The snapshot first (atomic), then a fresh log: lines of an older generation are skipped if both survive a crash. */
  private compact(): void {
    this.generation += 1;
    saveQueueFile(this.path, this.snapshotOf(), this.generation);
    closeSync(this.fd);
    this.fd = openSync(this.logPath, "w", 0o600);
    this.lines = 0;
  }
}

function readLines(logPath: string, path: string): Line[] {
  const text = readTextIfPresent(logPath) ?? "";
  const raw = text.split("\n").filter((entry) => entry !== "");
  const lines: Line[] = [];
  for (const [index, entry] of raw.entries()) {
    const parsed = lineSchema.safeParse(parseJson(entry));
    if (parsed.success) {
      lines.push(parsed.data);
      continue;
    }
    // Only the last line may be cut short, by a crash mid-write; anything else means the log is not ours.
    if (index === raw.length - 1 && !text.endsWith("\n")) continue;
    throw new Error(`The local queue log ${logPath} is not valid; move it and ${path} away to start empty`);
  }
  return lines;
}

/** Applies the log to the snapshot; a message held by an invocation when the process stopped is visible again. */
function replay(base: QueueSnapshot, lines: Line[], now: number): QueueSnapshot {
  const messages = new Map(base.messages.map((m) => [m.messageId, { ...m }]));
  const deduplication = new Map(base.deduplication);
  const deadLetters = [...base.deadLetters];
  let nextSequence = base.nextSequence;
  for (const line of lines) {
    if (line.op === "add") {
      const firstReceiveTimestamp = line.message.firstReceiveTimestamp;
      messages.set(line.message.messageId, { ...line.message, firstReceiveTimestamp, receiptHandle: undefined });
      deduplication.set(line.message.deduplicationId, line.message.sentTimestamp);
      nextSequence = Math.max(nextSequence, Number(line.message.sequenceNumber) + 1);
    } else if (line.op === "set") {
      const message = messages.get(line.id);
      if (!message) continue;
      message.receiveCount = line.receiveCount;
      message.firstReceiveTimestamp = line.firstReceiveTimestamp;
      message.visibleAt = line.visibleAt;
      message.inInvocation = line.inInvocation;
    } else if (line.op === "letter") {
      deadLetters.push(line.letter);
    } else {
      const message = messages.get(line.id);
      messages.delete(line.id);
      if (line.op === "dead" && message) deadLetters.push(toDeadLetter(message));
    }
  }
  const ordered = [...messages.values()]
    .map((message) => ({
      ...message,
      inInvocation: false,
      visibleAt: message.inInvocation ? Math.min(message.visibleAt, now) : message.visibleAt,
    }))
    .sort((a, b) => a.sequenceNumber.localeCompare(b.sequenceNumber));
  return { nextSequence, messages: ordered, deduplication: [...deduplication], deadLetters };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
