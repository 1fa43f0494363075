// The base of the small Chatwoot fakes: every call a fake does not serve throws, so a test never passes by
// reaching a call nobody meant it to make. Fakes override what they serve.
import type { ChatwootApi } from "../../functions/core/ports.js";

export class PartialChatwoot implements ChatwootApi {
  constructor(private readonly purpose: string) {}

  protected unused(): never {
    throw new Error(`not served by this fake (${this.purpose})`);
  }
  createContact: ChatwootApi["createContact"] = async () => this.unused();
  updateContact: ChatwootApi["updateContact"] = async () => this.unused();
  findContactByIdentifier: ChatwootApi["findContactByIdentifier"] = async () => this.unused();
  ensureContactInbox: ChatwootApi["ensureContactInbox"] = async () => this.unused();
  listContactConversations: ChatwootApi["listContactConversations"] = async () => this.unused();
  createConversation: ChatwootApi["createConversation"] = async () => this.unused();
  createMessage: ChatwootApi["createMessage"] = async () => this.unused();
  listMessages: ChatwootApi["listMessages"] = async () => this.unused();
  updateMessageStatus: ChatwootApi["updateMessageStatus"] = async () => this.unused();
  listMessagesAfter: ChatwootApi["listMessagesAfter"] = async () => this.unused();
  listMessagesBefore: ChatwootApi["listMessagesBefore"] = async () => this.unused();
  inboxIdentifier: ChatwootApi["inboxIdentifier"] = async () => this.unused();
  toggleContactTyping: ChatwootApi["toggleContactTyping"] = async () => this.unused();
  updateContactLastSeen: ChatwootApi["updateContactLastSeen"] = async () => this.unused();
  markMessageRead: ChatwootApi["markMessageRead"] = async () => this.unused();
  deleteMessage: ChatwootApi["deleteMessage"] = async () => this.unused();
  listMessageStates: ChatwootApi["listMessageStates"] = async () => this.unused();
  listUpdatedConversations: ChatwootApi["listUpdatedConversations"] = async () => this.unused();
}
