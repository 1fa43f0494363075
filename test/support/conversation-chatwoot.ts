// A behavioural fake of the part of Chatwoot a known user's message touches: one conversation's messages, with
// Chatwoot's source_id stored as given (not deduplicated) and the newest-20 listing. Other calls throw.
import type { ChatwootMessageSummary, IncomingMessage } from "../../functions/core/ports.js";
import { PartialChatwoot } from "./partial-chatwoot.js";

export class ConversationChatwoot extends PartialChatwoot {
  readonly messages: ChatwootMessageSummary[] = [];
  /** Runs right after a message is stored, before the answer returns (to fail something in between). */
  afterStore: () => void = () => undefined;
  private nextId = 20_001;

  constructor(private readonly conversationId: number) {
    super("a known user's message");
  }

  override createMessage = async (conversationId: number, message: IncomingMessage): Promise<{ messageId: number }> => {
    if (conversationId !== this.conversationId) throw new Error("unknown conversation");
    const id = this.nextId++;
    this.messages.push({ id, sourceId: message.sourceId });
    this.afterStore();
    return { messageId: id };
  };

  override listMessages = async (
    _conversationId: number,
    options: { before?: number } = {},
  ): Promise<ChatwootMessageSummary[]> => {
    const older = this.messages.filter((m) => options.before === undefined || m.id < options.before);
    return older.slice(-20);
  };
}
