// Where a conversation without a cursor starts being read (a conversation the bridge created, one an agent
// started, or every conversation of an install upgraded from webhook-by-webhook delivery): after the newest reply
// the bridge knows went out or was given up, so no old reply is ever delivered again, and no reply is skipped.
import type { DeliveryDeps } from "./delivery.js";
import { isBridgeFailureReason } from "./own-failures.js";
import { isShownDelivered, type ListedMessage } from "./listed-message.js";
import { deliveredMarker } from "./tracked-delivery.js";

/** The latest messages list's window (CONTRACT.md §2.5): the start is looked for among the last 20 messages. */
const LATEST_WINDOW = 20;

export async function startingCursor(deps: DeliveryDeps, conversationId: number): Promise<number> {
  const { messages } = await deps.chatwoot.listMessagesBefore(conversationId);
  for (const message of [...messages].reverse()) {
    if (await isFinished(deps, message)) return message.id;
  }
  // No reply known finished among the latest: the whole conversation when that was all of it.
  const first = messages[0];
  return first === undefined || messages.length < LATEST_WINDOW ? 0 : first.id - 1;
}

/**
 * A reply the bridge finished: Chatwoot shows it delivered or read, the bridge's delivered marker is there, or it
 * carries the bridge's own failure reason. A reply Chatwoot itself marked failed (its webhook failed, CONTRACT.md
 * §4.3) is not finished: it is still to be delivered.
 */
async function isFinished(deps: DeliveryDeps, message: ListedMessage): Promise<boolean> {
  const agentType = message.messageType === "outgoing" || message.messageType === "template";
  if (!agentType || message.private || message.sourceId) return false;
  if (isShownDelivered(message)) return true;
  if (isBridgeFailureReason(message.externalError)) return true;
  return deps.store.isClaimed(deliveredMarker(`msg_${message.id}`));
}
