// Helpers for reply-path tests: open a mapped conversation through the bridge and wait for the queue to settle.
import type { TestBridge } from "./bridge.js";

export async function openConversation(t: TestBridge, userId: string): Promise<number> {
  const answer = await t.api("POST", "/messages", { user_id: userId, message_id: "hello", content: "hello" });
  if (answer.status !== 201) throw new Error(`could not open a conversation: ${answer.status}`);
  return (answer.body as { conversation_id: number }).conversation_id;
}

/** Every webhook sent and every queued event handled (retries included). */
export async function settle(t: TestBridge): Promise<void> {
  for (let round = 0; round < 3; round++) {
    await t.bridge.sandbox?.webhooksIdle();
    await t.bridge.queue.drained();
  }
}

export interface Delivered {
  type: string;
  timestamp: string;
  data: {
    user_id: string;
    thread_id: string | null;
    conversation_id: number;
    status?: string;
    message?: Record<string, unknown> & { id: number };
  };
}
