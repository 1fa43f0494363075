// The sandbox's per-call timing records (timings()): one per API call, injected latency counted as time inside
// the sandbox, the x-sandbox-tag header kept, cleared by resetCalls(). npm run bench relies on all four.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type Sandbox } from "../../dev/sandbox/server.js";
import { sandboxApi, seedConversation, type SandboxApi } from "../support/sandbox-api.js";

let sandbox: Sandbox;
let api: SandboxApi;
beforeAll(async () => {
  sandbox = await startSandbox();
  api = sandboxApi(sandbox);
});
afterAll(async () => sandbox.close());

describe("per-call timings", () => {
  it("records each API call with its route and tag, in the order the answers were written", async () => {
    const { conversationId } = await seedConversation(api, "timed");
    sandbox.resetCalls();
    const before = performance.now();
    await api.post(
      `/conversations/${conversationId}/messages`,
      { content: "one" },
      { headers: { "x-sandbox-tag": "req-1" } },
    );
    await api.get(`/conversations/${conversationId}/messages`);
    const after = performance.now();
    const records = sandbox.timings();
    expect(records.map(({ route, tag }) => ({ route, tag }))).toEqual([
      { route: "POST /conversations/:id/messages", tag: "req-1" },
      { route: "GET /conversations/:id/messages", tag: undefined },
    ]);
    for (const record of records) {
      expect(record.startedAt).toBeGreaterThanOrEqual(before);
      expect(record.startedAt + record.ms).toBeLessThanOrEqual(after);
      expect(record.ms).toBeGreaterThan(0);
    }
  });

  it("counts injected latency as time inside the sandbox", async () => {
    sandbox.resetCalls();
    sandbox.setLatencyMs(30);
    try {
      await api.get("/contacts");
    } finally {
      sandbox.setLatencyMs(0);
    }
    const [record] = sandbox.timings();
    expect(record?.route).toBe("GET /contacts");
    expect(record?.ms).toBeGreaterThanOrEqual(29);
  });

  it("records refused calls too, skips control-API and unrouted requests, and forgets everything on resetCalls()", async () => {
    sandbox.resetCalls();
    await api.get("/contacts", { token: "wrong" });
    await fetch(`${sandbox.url}/_sandbox/calls`);
    await api.get("/no-such-route");
    expect(sandbox.timings().map((record) => record.route)).toEqual(["GET /contacts"]);
    sandbox.resetCalls();
    expect(sandbox.timings()).toEqual([]);
  });
});
