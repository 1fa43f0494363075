// What the built-in receiver saw, verified or not, for people: the console's live list (SSE) and the
// file under DATA_DIR that keeps it across restarts. Kept locally only; it holds message texts.
import { existsSync, readFileSync } from "node:fs";
import { mkdir, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { SaveSchedule } from "./save-schedule.js";

export interface FeedEntry {
  /** Order of arrival, from 1; survives restarts. */
  seq: number;
  /** When it arrived, ISO 8601. */
  at: string;
  /** `kept` (signature good, answered 2xx), `refused` (401/400), `failed` (answered an error as told). */
  outcome: "kept" | "refused" | "failed";
  status: number;
  /** Why it was refused: the failed check, never a secret. */
  why?: string;
  webhookId?: string;
  body?: unknown;
}

/** Keeps at most this many entries: enough to scroll back through a session, small enough to rewrite whole. */
const MAX_ENTRIES = 500;

export class ReceiverFeed {
  private entries: FeedEntry[];
  private readonly listeners = new Set<(entry: FeedEntry) => void>();
  /** Rewrites the file off the delivery's path (save-schedule.ts): a crash loses at most the last few seconds. */
  private readonly schedule: SaveSchedule | undefined;

  constructor(file: string | undefined) {
    this.entries = file ? readFeed(file) : [];
    this.schedule = file ? new SaveSchedule(() => writeFeed(file, JSON.stringify(this.entries))) : undefined;
  }

  add(entry: Omit<FeedEntry, "seq" | "at">): FeedEntry {
    const full: FeedEntry = { seq: (this.entries.at(-1)?.seq ?? 0) + 1, at: new Date().toISOString(), ...entry };
    this.entries = [...this.entries, full].slice(-MAX_ENTRIES);
    this.schedule?.markDirty();
    for (const listener of this.listeners) listener(full);
    return full;
  }

  all(): FeedEntry[] {
    return [...this.entries];
  }

  /** Writes what is not yet in the file; nothing is written after. */
  close(): Promise<void> {
    return this.schedule?.close() ?? Promise.resolve();
  }

  /** Calls `listener` for every later entry; returns the unsubscribe. */
  subscribe(listener: (entry: FeedEntry) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

function readFeed(file: string): FeedEntry[] {
  if (!existsSync(file)) return [];
  const parsed: unknown = JSON.parse(readFileSync(file, "utf8"));
  return Array.isArray(parsed) ? parsed.filter(isFeedEntry) : [];
}

async function writeFeed(file: string, text: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  // Written whole and renamed, so a crash mid-write leaves the previous list, never half of one.
  await writeFile(`${file}.tmp`, text);
  await rename(`${file}.tmp`, file);
}

function isFeedEntry(value: unknown): value is FeedEntry {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof Reflect.get(value, "seq") === "number" &&
    typeof Reflect.get(value, "outcome") === "string"
  );
}
