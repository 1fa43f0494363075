// The reply path: agents answer in mapped conversations, then each message_created webhook is POSTed to the
// bridge, signed as Chatwoot signs it. Acknowledgement = the webhook's round trip; delivery = from sending the
// webhook until the built-in receiver holds the signed delivery (queue, worker, signed POST in between).
import { randomUUID } from "node:crypto";
import { chatwootSignature } from "../../functions/core/signatures.js";
import type { BridgeUnderTest } from "../bridge-under-test.js";
import type { LoadClient } from "../load-client.js";
import { dealLanes } from "../load.js";
import { pick } from "../naive-client.js";
import { round, summarize, type Summary } from "../stats.js";
import { chatwootTarget } from "./inbound.js";

export interface WebhookPlan {
  label: string;
  latencyMs: number;
  concurrency: number;
  /** One mapped conversation, one agent reply, one webhook each. */
  replies: number;
}

export interface WebhookFigures {
  layout: BridgeUnderTest["layout"];
  latencyMs: number;
  concurrency: number;
  webhooks: number;
  failures: number;
  ackMs: Summary;
  /** Webhook sent until the receiver got the delivery. */
  deliveryMs: Summary;
  webhooksPerSecond: number;
  /** Per webhook, webhook route and delivery worker together (the worker marks each message delivered). */
  chatwootCallsPerWebhook: number;
  dynamoRequestsPerWebhook: number;
}

interface Captured {
  messageId: number;
  body: string;
}

export async function runWebhooks(but: BridgeUnderTest, load: LoadClient, plan: WebhookPlan): Promise<WebhookFigures> {
  const captured = await captureReplyWebhooks(but, load, plan);
  const lanes: Captured[][] = Array.from({ length: plan.concurrency }, () => []);
  captured.forEach((hook, i) => {
    lanes[i % plan.concurrency]?.push(hook);
  });
  const acks: number[] = [];
  const deliveries: number[] = [];
  let failures = 0;
  await but.settle();
  but.resetCounters();
  const started = performance.now();
  await Promise.all(
    lanes.map(async (lane) => {
      for (const hook of lane) {
        const delivered = but.receiver.next(
          (delivery) => pick(delivery.body, "data", "message", "id") === hook.messageId,
        );
        // A refused webhook is never delivered: its waiter is rejected when the receiver closes.
        delivered.catch(() => undefined);
        const sent = performance.now();
        const status = await postWebhook(but, hook.body);
        acks.push(performance.now() - sent);
        if (status !== 200) {
          failures += 1;
          continue;
        }
        await delivered;
        deliveries.push(performance.now() - sent);
      }
    }),
  );
  const wallMs = performance.now() - started;
  // The worker marks each message delivered in Chatwoot after the receiver got it: let that finish here, so
  // it is not counted in (nor slows) the next scenario.
  await but.bridge.queue.drained();
  const calls = Object.values(but.sandbox.calls()).reduce((sum, count) => sum + count, 0);
  return {
    layout: but.layout,
    latencyMs: plan.latencyMs,
    concurrency: plan.concurrency,
    webhooks: captured.length,
    failures,
    ackMs: summarize(acks),
    deliveryMs: summarize(deliveries),
    webhooksPerSecond: round((captured.length / wallMs) * 1000, 1),
    chatwootCallsPerWebhook: round(calls / captured.length),
    dynamoRequestsPerWebhook: round(but.dynamo.total() / captured.length),
  };
}

/** New users' first messages through the bridge map their conversations; then one agent reply in each. */
async function captureReplyWebhooks(but: BridgeUnderTest, load: LoadClient, plan: WebhookPlan): Promise<Captured[]> {
  const prefix = `${plan.label}-hooks-l${plan.latencyMs}-c${plan.concurrency}`;
  const users = Array.from({ length: plan.replies }, (_, i) => `${prefix}-user-${i}`);
  const lanes = dealLanes(users, 1, 8, (userId) => ({
    tag: `${userId}/m-0`,
    userId,
    messageId: "m-0",
    content: "Hello",
  }));
  const result = await load.run({
    target: "bridge",
    bridgeUrl: but.bridge.url,
    apiKey: but.bridge.apiKey,
    chatwoot: chatwootTarget(but),
    lanes,
  });
  if (result.samples.some((sample) => !sample.ok)) throw new Error("webhook scenario: a user's first message failed");
  const { sandbox } = but;
  const wanted = new Set(users);
  const contactIds = new Set(
    sandbox
      .contacts()
      .filter((c) => c.identifier !== null && wanted.has(c.identifier))
      .map((c) => c.id),
  );
  const conversations = sandbox.conversations().filter((c) => contactIds.has(c.contactId));
  await but.settle();
  sandbox.clearWebhookLog();
  // Captured, not sent: the scenario sends each one itself and times it.
  sandbox.setWebhookUrl(null);
  const replyIds = new Set(conversations.map((c, i) => sandbox.reply(c.displayId, `Agent reply ${i}`).id));
  await sandbox.webhooksIdle();
  sandbox.setWebhookUrl(but.webhookUrl);
  return sandbox
    .webhookLog()
    .filter((entry) => entry.event === "message_created")
    .map((entry) => ({ messageId: pick(JSON.parse(entry.body), "id"), body: entry.body }))
    .filter((hook): hook is Captured => typeof hook.messageId === "number" && replyIds.has(hook.messageId));
}

/** Signed now, as Chatwoot signs (CONTRACT.md §4.2): the log's own signature may be minutes old by now. */
async function postWebhook(but: BridgeUnderTest, body: string): Promise<number> {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const response = await fetch(`${but.bridge.url}/webhooks/chatwoot`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-chatwoot-delivery": randomUUID(),
      "x-chatwoot-timestamp": timestamp,
      "x-chatwoot-signature": chatwootSignature(but.sandbox.webhookSecret, timestamp, Buffer.from(body)),
    },
    body,
  });
  await response.text();
  return response.status;
}
