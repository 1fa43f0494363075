// An in-memory MessageIndex for unit tests: the DynamoDB adapter's behaviour (either key answers the whole record).
import type { IndexedMessage, MessageIndex } from "../../functions/core/message-index-port.js";

export class MemoryMessageIndex implements MessageIndex {
  private readonly byId = new Map<number, IndexedMessage>();
  private readonly bySource = new Map<string, IndexedMessage>();

  async record(message: IndexedMessage): Promise<void> {
    const copy = structuredClone(message);
    if (message.user) this.bySource.set(message.user.sourceId, copy);
    else this.byId.set(message.chatwootMessageId, copy);
  }

  async findByChatwootId(chatwootMessageId: number): Promise<IndexedMessage | undefined> {
    const found = this.byId.get(chatwootMessageId);
    return found && structuredClone(found);
  }

  async findBySourceId(sourceId: string): Promise<IndexedMessage | undefined> {
    const found = this.bySource.get(sourceId);
    return found && structuredClone(found);
  }
}
