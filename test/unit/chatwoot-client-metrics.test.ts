// ChatwootClient counts every HTTP attempt by operation and outcome, with its latency (spec §7), retries included.
import { describe, expect, it } from "vitest";
import { ChatwootClient } from "../../functions/adapters/chatwoot-client.js";
import { createMetrics } from "../../functions/metrics.js";
import { CHATWOOT_CLIENT_CONFIG as CONFIG } from "../support/chatwoot-client-config.js";
import { metricEvents } from "../support/emf.js";

/** A fetch giving the answers in turn. */
function answering(...statuses: number[]): typeof globalThis.fetch {
  const queue = [...statuses];
  return async () => Response.json({ id: 1 }, { status: queue.shift() ?? 500 });
}

function client(fetch: typeof globalThis.fetch): { chatwoot: ChatwootClient; lines: string[] } {
  const lines: string[] = [];
  const metrics = createMetrics((line) => lines.push(line));
  return { chatwoot: new ChatwootClient(CONFIG, { fetch, metrics }), lines };
}

describe("ChatwootClient metrics", () => {
  it("counts a retried call once per attempt: the failure's kind, then ok", async () => {
    const { chatwoot, lines } = client(answering(503, 200));
    await chatwoot.updateMessageStatus(287, 91201, "delivered");
    const events = metricEvents(lines);
    expect(events.map((e) => [e.Operation, e.Outcome, e.ChatwootCalls])).toEqual([
      ["update message status", "unavailable", 1],
      ["update message status", "ok", 1],
    ]);
    for (const event of events) expect(event.ChatwootLatency).toBeGreaterThanOrEqual(0);
  });

  it("counts a refused create as rejected, with no id, token or content in the line", async () => {
    const { chatwoot, lines } = client(answering(422));
    await expect(chatwoot.createMessage(287, { sourceId: "cwb-msg-1", content: "private words" })).rejects.toThrow();
    expect(metricEvents(lines).map((e) => [e.Operation, e.Outcome])).toEqual([["create message", "rejected"]]);
    for (const secret of ["287", "cwb-msg-1", "private words", CONFIG.chatwootApiToken]) {
      expect(lines.join("\n").replace(/"Timestamp":\d+/, "")).not.toContain(secret);
    }
  });
});
