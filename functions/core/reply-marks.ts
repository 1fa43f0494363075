// The status marks that tell the agent what became of a reply (CONTRACT.md §4.7): a `delivered` or `failed` PATCH
// that Chatwoot did not take (5xx, timeout, 429) is kept in the ledger and retried on its own, by its own queue
// record and by the conversation's next pull, never by delivering again (issue 13 item 4).
import * as z from "zod/mini";
import { backoffSeconds } from "./backoff.js";
import { isChatwootError } from "./errors.js";
import type { DeliveryLedger, PendingMark } from "./delivery-state-port.js";
import type { WorkResult } from "./delivery.js";
import type { ChatwootApi, EventQueue, QueuedEvent } from "./ports.js";

export const REPLY_MARKS = "reply.marks";

/** The queue record that retries a conversation's pending marks; its own FIFO group, so no reply waits behind it. */
export interface MarksRecord {
  type: typeof REPLY_MARKS;
  conversationId: number;
}

export const marksRecordSchema = z.object({ type: z.literal(REPLY_MARKS), conversationId: z.number() });

export interface MarkDeps {
  chatwoot: ChatwootApi;
  ledger: DeliveryLedger;
  queue: EventQueue;
}

/** Marks the reply; false when Chatwoot did not take it (then it is pending, and a marks record is queued). */
export async function markReply(deps: MarkDeps, conversationId: number, mark: PendingMark): Promise<boolean> {
  if (await tryMark(deps, conversationId, mark)) return true;
  await deps.ledger.savePendingMark(conversationId, mark);
  await deps.queue.enqueue(marksRecord(conversationId, mark));
  return false;
}

/** After this many receives a marks record ends; what is still pending waits for the conversation's next pull. */
const MAX_MARK_RECEIVES = 12;

/** The marks record's work: every pending mark of the conversation PATCHed again, until Chatwoot takes them. */
export async function retryMarksRecord(
  deps: MarkDeps & { config: { deliveryRetryScheduleMs: number[] } },
  record: MarksRecord,
  receive: { receiveCount: number },
): Promise<WorkResult> {
  const { marks } = await deps.ledger.readConversation(record.conversationId);
  const pending = await retryPendingMarks(deps, record.conversationId, marks);
  if (pending === 0 || receive.receiveCount >= MAX_MARK_RECEIVES) return { items: [] };
  return { items: [], retryInSeconds: backoffSeconds(deps.config.deliveryRetryScheduleMs, receive.receiveCount) };
}

/** PATCHes every pending mark again; returns how many are still pending. */
export async function retryPendingMarks(
  deps: MarkDeps,
  conversationId: number,
  marks: readonly PendingMark[],
): Promise<number> {
  let pending = 0;
  for (const mark of marks) {
    if (await tryMark(deps, conversationId, mark)) await deps.ledger.clearPendingMark(conversationId, mark.messageId);
    else pending += 1;
  }
  return pending;
}

async function tryMark(deps: MarkDeps, conversationId: number, mark: PendingMark): Promise<boolean> {
  try {
    await deps.chatwoot.updateMessageStatus(conversationId, mark.messageId, mark.status, mark.externalError);
    return true;
  } catch (error) {
    // A message or conversation deleted meanwhile can never be marked: nothing is left to retry.
    if (isChatwootError(error, "not_found")) return true;
    // Chatwoot ignores a repeated mark (an unchanged status, CONTRACT.md §2.5), so retrying is always safe.
    return false;
  }
}

function marksRecord(conversationId: number, mark: PendingMark): QueuedEvent {
  const record: MarksRecord = { type: REPLY_MARKS, conversationId };
  return {
    groupId: `marks-conversation-${conversationId}`,
    deduplicationId: `marks-${mark.messageId}-${mark.status}`,
    body: JSON.stringify(record),
  };
}
