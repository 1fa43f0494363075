// Webhooks delivered to the bridge in an order of the test's choosing: the sandbox builds and signs them while its
// webhook URL is unset (it logs them as skipped), then the test POSTs them itself, shuffled, to the bridge's route.
import type { WebhookLogEntry } from "../../dev/sandbox/webhooks.js";
import type { TestBridge } from "./bridge.js";
import { sandboxOf } from "./bridge.js";

/** Runs `act` with the sandbox's webhooks held back; returns the webhooks it built for `event`, in sending order. */
export async function heldWebhooks(
  t: TestBridge,
  event: string,
  act: () => void | Promise<void>,
): Promise<WebhookLogEntry[]> {
  const sandbox = sandboxOf(t);
  await sandbox.webhooksIdle();
  sandbox.setWebhookUrl(null);
  sandbox.clearWebhookLog();
  await act();
  await sandbox.webhooksIdle();
  const held = sandbox.webhookLog().filter((entry) => entry.event === event);
  sandbox.setWebhookUrl(webhookUrl(t));
  return held;
}

export function webhookUrl(t: TestBridge): string {
  return `${t.bridge.url}/webhooks/chatwoot`;
}

/** POSTs a held webhook to the bridge as Chatwoot would have (same signed headers, same body). */
export async function postHeld(t: TestBridge, entry: WebhookLogEntry): Promise<number> {
  const answer = await fetch(webhookUrl(t), { method: "POST", headers: entry.headers, body: entry.body });
  await answer.arrayBuffer();
  return answer.status;
}

/** A seeded Fisher-Yates shuffle (mulberry32), so a failing order can be replayed. */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  let state = seed >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = state;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const a = out[i];
    const b = out[j];
    if (a === undefined || b === undefined) continue;
    out[i] = b;
    out[j] = a;
  }
  return out;
}
