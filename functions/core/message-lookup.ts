// Finds a message the bridge may already have posted, by its deterministic source_id (Chatwoot does not dedupe it).
import type { ChatwootApi } from "./ports.js";

/** Pages of 20 looked at, newest first: a retry comes soon after its attempt, so the message is recent. */
const MAX_PAGES = 5;

export async function findMessageBySourceId(chatwoot: ChatwootApi, conversationId: number, sourceId: string): Promise<number | undefined> {
  let before: number | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const messages = await chatwoot.listMessages(conversationId, before !== undefined ? { before } : {});
    const found = messages.find((m) => m.sourceId === sourceId);
    if (found) return found.id;
    if (messages.length < 20) return undefined;
    before = Math.min(...messages.map((m) => m.id));
  }
  return undefined;
}
