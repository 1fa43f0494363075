// The sandbox's save schedule: a burst of changes is saved once it pauses; a steady stream is saved at most every
// MAX_WAIT_MS, longer once snapshots grow slow (under `npm start` a snapshot blocks the loop the bridge shares).
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { MAX_WAIT_MS, QUIET_MS, SNAPSHOT_TIME_FACTOR, SaveSchedule } from "../../dev/save-schedule.js";

/** Saves that record when they ran; each snapshot takes `snapshotMs` of (fake) time. */
function recordingSave(snapshotMs: number): { saves: number[]; save: () => Promise<void> } {
  const saves: number[] = [];
  const save = () => {
    saves.push(Date.now());
    vi.setSystemTime(Date.now() + snapshotMs);
    return Promise.resolve();
  };
  return { saves, save };
}

/** A change every `everyMs` for `forMs`, the fake clock moving with them. */
async function changes(schedule: SaveSchedule, everyMs: number, forMs: number): Promise<void> {
  for (let elapsed = 0; elapsed < forMs; elapsed += everyMs) {
    schedule.markDirty();
    await vi.advanceTimersByTimeAsync(everyMs);
  }
}

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe("SaveSchedule", () => {
  it("saves a burst once, QUIET_MS after its last change", async () => {
    const { saves, save } = recordingSave(0);
    const schedule = new SaveSchedule(save, { now: Date.now });
    await changes(schedule, 50, 1_000);
    expect(saves).toEqual([]);
    await vi.advanceTimersByTimeAsync(QUIET_MS);
    expect(saves).toEqual([1_000 - 50 + QUIET_MS]);
  });

  it("saves a steady stream every MAX_WAIT_MS", async () => {
    const { saves, save } = recordingSave(0);
    const schedule = new SaveSchedule(save, { now: Date.now });
    await changes(schedule, 100, 12_000);
    expect(saves).toEqual([MAX_WAIT_MS, 2 * MAX_WAIT_MS]);
  });

  it("waits SNAPSHOT_TIME_FACTOR times the last snapshot's time once that is longer", async () => {
    const { saves, save } = recordingSave(40);
    const schedule = new SaveSchedule(save, { now: Date.now });
    await changes(schedule, 100, 14_000);
    expect(schedule.longestWaitMs()).toBe(40 * SNAPSHOT_TIME_FACTOR);
    // The first save waited MAX_WAIT_MS; after a 40 ms snapshot the next waits 8 s.
    expect(saves).toHaveLength(2);
    expect(saves[0]).toBe(MAX_WAIT_MS);
    expect((saves[1] ?? 0) - (saves[0] ?? 0)).toBeGreaterThanOrEqual(40 * SNAPSHOT_TIME_FACTOR);
  });

  it("saved() writes pending changes at once, and close() writes the last state", async () => {
    const { saves, save } = recordingSave(0);
    const schedule = new SaveSchedule(save, { now: Date.now });
    schedule.markDirty();
    await schedule.saved();
    expect(saves).toEqual([0]);
    await schedule.close();
    schedule.markDirty();
    await vi.advanceTimersByTimeAsync(MAX_WAIT_MS);
    expect(saves).toEqual([0, 0]);
  });
});
