// A request a route did not complete is counted by its error code: refused below 500, failed at 500 and above.
import { describe, expect, it } from "vitest";
import { ChatwootError } from "../../functions/core/errors.js";
import { messagesPostRoute } from "../../functions/routes/messages-post.js";
import { webhooksChatwootPostRoute } from "../../functions/routes/webhooks-chatwoot-post.js";
import { PartialChatwoot } from "../support/partial-chatwoot.js";
import { API_KEY, call, fakeBridge, httpEvent } from "../support/route-harness.js";

const headers = { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" };

/** Chatwoot times out on the first call a message makes. */
class TimingOutChatwoot extends PartialChatwoot {
  constructor() {
    super("timing out");
  }
  protected override unused(): never {
    throw new ChatwootError({ operation: "create contact", kind: "timeout" });
  }
}

const outcomes = (lines: Array<Record<string, unknown>>, metric: string) =>
  lines.map((line) => [line.Outcome, line.Reason, line[metric]]);

describe("refusalMetric", () => {
  it("counts a message Chatwoot failed as failed with chatwoot_timeout, and an oversized one as refused", async () => {
    const { deps, metricLines } = fakeBridge({ chatwoot: new TimingOutChatwoot() });
    const route = messagesPostRoute(deps);
    const timedOut = await call(
      route,
      httpEvent("POST /messages", { headers, body: JSON.stringify({ user_id: "u-1", content: "hi" }) }),
    );
    const tooLarge = await call(route, httpEvent("POST /messages", { headers, body: " ".repeat(300_000) }));
    expect([timedOut.status, tooLarge.status]).toEqual([504, 413]);
    expect(outcomes(metricLines, "InboundMessages")).toEqual([
      ["failed", "chatwoot_timeout", 1],
      ["refused", "payload_too_large", 1],
    ]);
  });

  it("counts an unsigned webhook as refused, and nothing is queued", async () => {
    const { deps, queue, metricLines } = fakeBridge();
    const answer = await call(
      webhooksChatwootPostRoute(deps),
      httpEvent("POST /webhooks/chatwoot", { headers: { "content-type": "application/json" }, body: "{}" }),
    );
    expect(answer.status).toBe(401);
    expect(queue.sent).toEqual([]);
    expect(outcomes(metricLines, "Webhooks")).toEqual([["refused", "unauthorized", 1]]);
  });
});
