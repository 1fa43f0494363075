// Behavioural fakes for the delivery decision: a receiver that answers a script of outcomes, and a Chatwoot that
// keeps message statuses the way the status endpoint does (CONTRACT.md §2.5). Unused Chatwoot calls throw.
import type { ChatwootApi, DeliveryAttempt, DeliveryOutcome, DeliverySender } from "../../functions/core/ports.js";

export class ScriptedReceiver implements DeliverySender {
  readonly attempts: DeliveryAttempt[] = [];
  constructor(private readonly script: DeliveryOutcome[]) {}

  async send(attempt: DeliveryAttempt): Promise<DeliveryOutcome> {
    this.attempts.push(attempt);
    return this.script.shift() ?? { kind: "delivered", status: 200 };
  }
}

export class StatusChatwoot implements ChatwootApi {
  readonly statuses = new Map<number, { status: string; externalError?: string }>();
  failStatusUpdates = false;

  async updateMessageStatus(_conversationId: number, messageId: number, status: "delivered" | "failed", externalError?: string): Promise<void> {
    if (this.failStatusUpdates) throw new Error("Chatwoot is down");
    this.statuses.set(messageId, { status, ...(externalError !== undefined ? { externalError } : {}) });
  }

  private unused(): never {
    throw new Error("not used by the delivery decision");
  }
  createContact = async () => this.unused();
  updateContact = async () => this.unused();
  findContactByIdentifier = async () => this.unused();
  ensureContactInbox = async () => this.unused();
  listContactConversations = async () => this.unused();
  createConversation = async () => this.unused();
  createMessage = async () => this.unused();
  listMessages = async () => this.unused();
}
