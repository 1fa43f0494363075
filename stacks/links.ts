// Which linked resources each function gets: only what its manifest `uses` needs, since a link is both the
// Resource value and the IAM permission. Pure; the names are the ones functions/compose/config-source.ts reads.
import type { RouteEntry } from "./routes.js";

export type LinkName =
  | "MappingTable"
  | "DeliveryQueue"
  | "DeliveryDeadLetterQueue"
  | "InboundQueue"
  | "ChatwootApiToken"
  | "ChatwootWebhookSecret"
  | "BridgeApiKey"
  | "DeliverySecret";
type Use = RouteEntry["uses"][number];

const BY_USE: Record<Use, LinkName> = {
  table: "MappingTable",
  queue: "DeliveryQueue",
  chatwoot: "ChatwootApiToken",
  delivery: "DeliverySecret",
  inbound: "InboundQueue",
};

/**
 * An HTTP route: its uses; the webhook route its secret (Chatwoot signs, it sends no bearer key); every other
 * route but /health the bearer key.
 */
export function routeLinkNames(route: Pick<RouteEntry, "path" | "uses">): LinkName[] {
  const names = route.uses.map((use) => BY_USE[use]);
  if (route.path.startsWith("/webhooks/")) names.push("ChatwootWebhookSecret");
  else if (route.path !== "/health") names.push("BridgeApiKey");
  return unique(names);
}

/**
 * The queue consumer also needs the queue's URL: it sets each message's visibility (the retry delay) itself, and
 * queues status-mark retries; and the dead-letter queue's, where it sends what it gave up on (docs/delivery.md).
 */
export function workerLinkNames(worker: { uses: readonly Use[] }): LinkName[] {
  return unique([...worker.uses.map((use) => BY_USE[use]), "DeliveryQueue", "DeliveryDeadLetterQueue"]);
}

/** The inbound worker sets its own messages' visibility and queues outcomes on the delivery queue (its `uses`). */
export function inboundWorkerLinkNames(worker: { uses: readonly Use[] }): LinkName[] {
  return unique([...worker.uses.map((use) => BY_USE[use]), "InboundQueue"]);
}

/** A scheduled function (the sweep): exactly its uses; the queue link carries the URL it sends to. */
export function scheduleLinkNames(fn: { uses: readonly Use[] }): LinkName[] {
  return unique(fn.uses.map((use) => BY_USE[use]));
}

function unique(names: LinkName[]): LinkName[] {
  return [...new Set(names)];
}
