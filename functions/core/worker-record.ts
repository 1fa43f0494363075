// What the delivery queue holds, by `type`: "conversation N changed" signals (read Chatwoot, deliver in message
// order) and single events (a deletion, an agent's Retry, records queued before signals existed). Other record
// types join this union and the parser below; the worker dispatches on `type`.
import { CONVERSATION_CHANGED, type ConversationSignal, conversationSignal } from "./conversation-signal.js";
import { type MarksRecord, marksRecordSchema, REPLY_MARKS } from "./reply-marks.js";
import { parseQueuedDelivery, type QueuedDelivery, readJson } from "./queued-delivery.js";

export type WorkerRecord = ConversationSignal | MarksRecord | QueuedDelivery;

/** The record, or undefined when the body is not one this bridge wrote (reported unreadable, never guessed at). */
export function parseWorkerRecord(body: string): WorkerRecord | undefined {
  const value = readJson(body);
  const type: unknown = typeof value === "object" && value !== null ? Reflect.get(value, "type") : undefined;
  if (type === CONVERSATION_CHANGED) {
    const parsed = conversationSignal.safeParse(value);
    return parsed.success ? parsed.data : undefined;
  }
  if (type === REPLY_MARKS) {
    const parsed = marksRecordSchema.safeParse(value);
    return parsed.success ? parsed.data : undefined;
  }
  return parseQueuedDelivery(body);
}
