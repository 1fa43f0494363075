// The in-process queue's snapshot file: written atomically (temp file, fsync, rename) so a crash mid-write leaves
// the previous version, never half a file. Changes since the snapshot are in its log (journal.ts).
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { z } from "zod/mini";
import type { QueueSnapshot } from "./state.js";
import { readTextIfPresent } from "../../functions/adapters/text-file.js";

const FILE_VERSION = 1;

export const messageSchema = z.object({
  messageId: z.string(),
  sequenceNumber: z.string(),
  body: z.string(),
  groupId: z.string(),
  deduplicationId: z.string(),
  sentTimestamp: z.number(),
  firstReceiveTimestamp: z.optional(z.number()),
  receiveCount: z.number(),
  visibleAt: z.number(),
  inInvocation: z.boolean(),
});

const fileSchema = z.object({
  version: z.literal(FILE_VERSION),
  /** Which lines of the log (journal.ts) come after this snapshot; absent in files written before the log. */
  generation: z.optional(z.number()),
  nextSequence: z.number(),
  messages: z.array(messageSchema),
  deduplication: z.array(z.tuple([z.string(), z.number()])),
  deadLetters: z.array(
    z.object({ body: z.string(), groupId: z.string(), deduplicationId: z.string(), receiveCount: z.number() }),
  ),
});

/**
 * The saved queue, or undefined when there is no file yet. Messages an invocation held when the
 * process stopped become visible now (their consumer is gone); a retry delay is kept. A file that
 * does not parse is an error: starting empty would silently drop undelivered replies.
 */
export function loadQueueFile(path: string, now: number): (QueueSnapshot & { generation?: number }) | undefined {
  const text = readTextIfPresent(path);
  if (text === undefined) return undefined;
  const parsed = fileSchema.safeParse(parseJson(text));
  if (!parsed.success)
    throw new Error(`The local queue file ${path} is not a valid queue file; move it away to start empty`);
  return {
    ...(parsed.data.generation !== undefined ? { generation: parsed.data.generation } : {}),
    nextSequence: parsed.data.nextSequence,
    deduplication: parsed.data.deduplication,
    deadLetters: parsed.data.deadLetters,
    messages: parsed.data.messages.map((m) => ({
      ...m,
      firstReceiveTimestamp: m.firstReceiveTimestamp,
      receiptHandle: undefined,
      inInvocation: false,
      visibleAt: m.inInvocation ? Math.min(m.visibleAt, now) : m.visibleAt,
    })),
  };
}

export function saveQueueFile(path: string, snapshot: QueueSnapshot, generation?: number): void {
  const file = {
    version: FILE_VERSION,
    ...(generation !== undefined ? { generation } : {}),
    nextSequence: snapshot.nextSequence,
    // Receipt handles die with the process; everything else is needed to resume.
    messages: snapshot.messages.map(({ receiptHandle: _handle, ...rest }) => rest),
    deduplication: snapshot.deduplication,
    deadLetters: snapshot.deadLetters,
  };
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  const fd = openSync(temp, "w", 0o600);
  try {
    writeSync(fd, JSON.stringify(file));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, path);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined; // reported by the schema check as "not a valid queue file"
  }
}
