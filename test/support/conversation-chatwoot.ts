// A behavioural fake of the part of Chatwoot a known user's message touches: one conversation's messages, with
// Chatwoot's source_id stored as given (not deduplicated) and the newest-20 listing. Other calls throw.
import type { ChatwootApi, ChatwootMessageSummary, IncomingMessage } from "../../functions/core/ports.js";

export class ConversationChatwoot implements ChatwootApi {
  readonly messages: ChatwootMessageSummary[] = [];
  /** Runs right after a message is stored, before the answer returns (to fail something in between). */
  afterStore: () => void = () => undefined;
  private nextId = 20_001;

  constructor(private readonly conversationId: number) {}

  async createMessage(conversationId: number, message: IncomingMessage): Promise<{ messageId: number }> {
    if (conversationId !== this.conversationId) throw new Error("unknown conversation");
    const id = this.nextId++;
    this.messages.push({ id, sourceId: message.sourceId, messageType: 0 });
    this.afterStore();
    return { messageId: id };
  }

  async listMessages(_conversationId: number, options: { before?: number } = {}): Promise<ChatwootMessageSummary[]> {
    const older = this.messages.filter((m) => options.before === undefined || m.id < options.before);
    return older.slice(-20);
  }

  private unused(): never {
    throw new Error("not used by a known user's message");
  }
  createContact = async () => this.unused();
  updateContact = async () => this.unused();
  findContactByIdentifier = async () => this.unused();
  ensureContactInbox = async () => this.unused();
  listContactConversations = async () => this.unused();
  createConversation = async () => this.unused();
  updateMessageStatus = async () => this.unused();
}
