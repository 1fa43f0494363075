// The catch-up sweep (spec §7) with a fake Chatwoot listing and the real local store (dynalite): which conversations
// are signalled and how, that a change is signalled once, and the pacing (a signal budget, a deadline) with its resume
// position in the table.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DynamoMappingStore } from "../../functions/adapters/dynamo-mapping-store.js";
import { DynamoSweepStore } from "../../functions/adapters/dynamo-sweep-store.js";
import { ChatwootError } from "../../functions/core/errors.js";
import type { UpdatedConversation } from "../../functions/core/ports.js";
import { type SweepDeps, type SweepLimits, sweepConversations } from "../../functions/core/sweep.js";
import { ensureTable, startEmbeddedStore, type EmbeddedStore } from "../../dev/embedded-store.js";
import { FakeChatwoot } from "../support/fake-chatwoot.js";
import { saveMappingAsCreated } from "../support/inbound-fakes.js";
import { RecordingQueue } from "../support/recording-queue.js";

let dataDir: string;
let embedded: EmbeddedStore;
let tables = 0;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "bridge-sweep-"));
  embedded = await startEmbeddedStore({ dataDir, tableName: "sweep-0" });
});
afterAll(async () => {
  await embedded.close();
  await rm(dataDir, { recursive: true, force: true });
});

interface Rig {
  deps: SweepDeps;
  chatwoot: FakeChatwoot;
  queue: RecordingQueue;
  store: DynamoMappingStore;
  sweepStore: DynamoSweepStore;
  advance(ms: number): void;
}

let rig: Rig;
beforeEach(async () => {
  const tableName = `sweep-${++tables}`;
  await ensureTable(embedded.endpoint, tableName);
  // Claims expire by the store's wall clock, so the sweep's clock starts at now.
  let now = Date.now();
  const chatwoot = new FakeChatwoot();
  const queue = new RecordingQueue();
  const store = new DynamoMappingStore({ tableName, endpoint: embedded.endpoint });
  const sweepStore = new DynamoSweepStore({ tableName, endpoint: embedded.endpoint });
  rig = {
    deps: { chatwoot, store, sweepStore, queue, clock: { now: () => now } },
    chatwoot,
    queue,
    store,
    sweepStore,
    advance: (ms) => {
      now += ms;
    },
  };
});

const LOOKBACK_MS = 2 * 3_600_000;
const limits = (overrides: Partial<SweepLimits> = {}): SweepLimits => ({
  lookbackMs: LOOKBACK_MS,
  maxSignals: 100,
  deadline: Number.MAX_SAFE_INTEGER,
  ...overrides,
});

/** A conversation of a contact whose identifier is a user id: routable like the worker routes it. */
function routable(conversationId: number, updatedAt = 1_781_964_175.263418): UpdatedConversation {
  return {
    conversationId,
    status: "open",
    updatedAt,
    contactId: 4800 + conversationId,
    identifier: `u-${conversationId}`,
    sourceId: `src-${conversationId}`,
  };
}

describe("which conversations the sweep signals", () => {
  it("signals mapped and routable conversations with their status and contact, and skips nobody's", async () => {
    await saveMappingAsCreated(rig.store, { userId: "u-mapped", contactId: 7, sourceId: "src-m", conversationId: 301 });
    await saveMappingAsCreated(rig.store, { userId: "u-chosen", contactId: 8, sourceId: "bridge-src-8" });
    rig.chatwoot.updatedConversations.push(
      { conversationId: 301, status: "resolved", updatedAt: 1_781_964_175.5 },
      { conversationId: 302, status: "open", updatedAt: 1_781_964_176.25, contactId: 8, sourceId: "bridge-src-8" },
      routable(303),
      // No identifier and a source_id the bridge never chose; an identifier that is no user id; no source_id.
      { conversationId: 304, status: "open", updatedAt: 1_781_964_177, contactId: 9, sourceId: "widget-src" },
      {
        conversationId: 305,
        status: "open",
        updatedAt: 1_781_964_177,
        contactId: 10,
        sourceId: "s",
        identifier: "\u0007",
      },
      { conversationId: 306, status: "open", updatedAt: 1_781_964_177, contactId: 11, identifier: "u-306" },
    );
    const result = await sweepConversations(rig.deps, limits());
    expect(result).toEqual({ listed: 6, signalled: 3, unchanged: 0, unowned: 3, passComplete: true });
    // Conversations are handled a few at once: the order of their signals is not theirs to keep.
    const records = [...rig.queue.records].sort((a, b) => a.groupId.localeCompare(b.groupId));
    expect(records.map((r) => [r.groupId, r.deduplicationId])).toEqual([
      ["conversation-301", "sweep-301-1781964175500000"],
      ["conversation-302", "sweep-302-1781964176250000"],
      ["conversation-303", "sweep-303-1781964175263418"],
    ]);
    const bodies = records.map((r) => JSON.parse(r.body));
    expect(bodies[0]).toEqual({
      type: "conversation.changed",
      conversationId: 301,
      occurredAt: new Date(rig.deps.clock.now()).toISOString(),
      origin: "sweep",
      status: "resolved",
      // The listing's updated_at dates the status: the worker applies only a newer one.
      statusAt: 1781964175.5,
      contact: {},
    });
    expect(bodies[2].contact).toEqual({ contactId: 5103, sourceId: "src-303", identifier: "u-303" });
    expect(rig.chatwoot.calls).toEqual(["listUpdatedConversations"]);
  });

  it("signals a change once: a second run signals nothing, a later change of the same conversation again", async () => {
    rig.chatwoot.updatedConversations.push(routable(401), routable(402));
    await sweepConversations(rig.deps, limits());
    const again = await sweepConversations(rig.deps, limits());
    expect(again).toEqual({ listed: 2, signalled: 0, unchanged: 2, unowned: 0, passComplete: true });
    rig.chatwoot.updatedConversations[1] = routable(402, 1_781_964_999.000001);
    const changed = await sweepConversations(rig.deps, limits());
    expect([changed.signalled, changed.unchanged]).toEqual([1, 1]);
    expect(rig.queue.records.map((r) => r.deduplicationId).sort()).toEqual([
      "sweep-401-1781964175263418",
      "sweep-402-1781964175263418",
      "sweep-402-1781964999000001",
    ]);
  });

  it("signals again after the queue refused the signal: the change is claimed only once it is queued", async () => {
    rig.chatwoot.updatedConversations.push(routable(501));
    rig.queue.failNext();
    await expect(sweepConversations(rig.deps, limits())).rejects.toThrow("queue unavailable");
    expect(await rig.store.isClaimed("sweep-501-1781964175263418")).toBe(false);
    expect((await sweepConversations(rig.deps, limits())).signalled).toBe(1);
    expect(rig.queue.conversationIds()).toEqual([501]);
  });

  it("asks Chatwoot for the lookback in seconds and changes nothing when the listing fails", async () => {
    const asked: number[] = [];
    const chatwoot = {
      listUpdatedConversations: async (seconds: number) => {
        asked.push(seconds);
        throw new ChatwootError({ operation: "list updated conversations", kind: "unavailable", status: 429 });
      },
    };
    await rig.sweepStore.savePosition({ afterConversationId: 77 });
    await expect(sweepConversations({ ...rig.deps, chatwoot }, limits())).rejects.toBeInstanceOf(ChatwootError);
    expect(asked).toEqual([7200]);
    expect(rig.queue.records).toEqual([]);
    expect(await rig.sweepStore.readPosition()).toEqual({ afterConversationId: 77 });
  });
});

describe("pacing", () => {
  it("covers a long listing across runs within the signal budget, resuming after the last conversation handled", async () => {
    for (let id = 610; id > 600; id--) rig.chatwoot.updatedConversations.push(routable(id));
    const runs = [];
    for (let run = 0; run < 4; run++) runs.push(await sweepConversations(rig.deps, limits({ maxSignals: 4 })));
    expect(runs.map((r) => [r.signalled, r.unchanged, r.passComplete])).toEqual([
      [4, 0, false],
      [4, 0, false],
      [2, 0, true],
      [0, 10, true],
    ]);
    expect(rig.queue.conversationIds().sort()).toEqual([601, 602, 603, 604, 605, 606, 607, 608, 609, 610]);
    expect(await rig.sweepStore.readPosition()).toEqual({ afterConversationId: 0 });
  });

  it("starts no conversation past the deadline and resumes there next run", async () => {
    for (let id = 701; id <= 720; id++) rig.chatwoot.updatedConversations.push(routable(id));
    const deadline = rig.deps.clock.now() + 2500;
    const slowQueue = {
      enqueue: async (event: Parameters<RecordingQueue["enqueue"]>[0]) => {
        rig.advance(1000);
        await rig.queue.enqueue(event);
      },
    };
    // The first eight go together; by then the deadline has passed.
    const first = await sweepConversations({ ...rig.deps, queue: slowQueue }, limits({ deadline }));
    expect([first.signalled, first.passComplete]).toEqual([8, false]);
    expect(await rig.sweepStore.readPosition()).toEqual({ afterConversationId: 708 });
    const second = await sweepConversations(rig.deps, limits());
    expect([second.signalled, second.passComplete]).toEqual([12, true]);
    expect(rig.queue.conversationIds().sort()).toEqual(Array.from({ length: 20 }, (_, i) => 701 + i));
  });

  it("does not spend the budget on unchanged or unowned conversations", async () => {
    rig.chatwoot.updatedConversations.push(routable(801), routable(802));
    await sweepConversations(rig.deps, limits());
    rig.chatwoot.updatedConversations.push(
      { conversationId: 803, status: "open", updatedAt: 1, contactId: 9, sourceId: "widget" },
      routable(804),
      routable(805),
    );
    const run = await sweepConversations(rig.deps, limits({ maxSignals: 1 }));
    expect(run).toEqual({ listed: 5, signalled: 1, unchanged: 2, unowned: 1, passComplete: false });
    expect(rig.queue.conversationIds()).toEqual([801, 802, 804]);
  });
});
