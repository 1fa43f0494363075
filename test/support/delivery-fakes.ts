// Behavioural fakes for the delivery decision: a receiver that answers a script of outcomes, and a Chatwoot that
// keeps message statuses the way the status endpoint does (CONTRACT.md §2.5). Unused Chatwoot calls throw.
import type { ListedMessage } from "../../functions/core/listed-message.js";
import type { DeliveryAttempt, DeliveryOutcome, DeliverySender } from "../../functions/core/ports.js";
import { PartialChatwoot } from "./partial-chatwoot.js";

export class ScriptedReceiver implements DeliverySender {
  readonly attempts: DeliveryAttempt[] = [];
  constructor(private readonly script: DeliveryOutcome[]) {}

  async send(attempt: DeliveryAttempt): Promise<DeliveryOutcome> {
    this.attempts.push(attempt);
    return this.script.shift() ?? { kind: "delivered", status: 200 };
  }
}

export class StatusChatwoot extends PartialChatwoot {
  readonly statuses = new Map<number, { status: string; externalError?: string }>();
  failStatusUpdates = false;

  constructor() {
    super("the delivery decision");
  }

  override updateMessageStatus = async (
    _conversationId: number,
    messageId: number,
    status: "delivered" | "failed",
    externalError?: string,
  ): Promise<void> => {
    if (this.failStatusUpdates) throw new Error("Chatwoot is down");
    this.statuses.set(messageId, { status, ...(externalError !== undefined ? { externalError } : {}) });
  };
}

/**
 * Chatwoot's messages list for the pull (CONTRACT.md §2.5): `after=` gives up to 100 ascending, no cursor the
 * latest 20; PATCHed statuses show in the list, as they do in Chatwoot. `failReads` fails the next n list calls.
 */
export class ListingChatwoot extends StatusChatwoot {
  readonly listed: ListedMessage[] = [];
  failReads = 0;
  private nextId = 100;

  /** An agent's public reply (or another message) written now; ids ascend like Chatwoot's. */
  write(conversationId: number, fields: Partial<ListedMessage> = {}): ListedMessage {
    const message: ListedMessage = {
      id: this.nextId++,
      messageType: "outgoing",
      private: false,
      sourceId: null,
      status: "sent",
      deleted: false,
      content: `reply ${this.nextId}`,
      contentType: "text",
      createdAt: 1_781_964_342,
      sender: { id: 2, name: "Sam", type: "user" },
      attachments: [],
      ...fields,
    };
    this.conversationOf.set(message.id, conversationId);
    this.listed.push(message);
    return message;
  }

  private readonly conversationOf = new Map<number, number>();

  private read(conversationId: number): ListedMessage[] {
    if (this.failReads > 0) {
      this.failReads -= 1;
      throw new Error("Chatwoot is down");
    }
    return this.listed
      .filter((m) => this.conversationOf.get(m.id) === conversationId)
      .map((m) => ({ ...m, status: this.statuses.get(m.id)?.status ?? m.status }));
  }

  override listMessagesAfter = async (conversationId: number, after: number) => ({
    messages: this.read(conversationId)
      .filter((m) => m.id > after)
      .slice(0, 100),
  });

  override listMessagesBefore = async (conversationId: number, before?: number) => ({
    messages: this.read(conversationId)
      .filter((m) => before === undefined || m.id < before)
      .slice(-20),
  });
}
