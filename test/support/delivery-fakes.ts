// Behavioural fakes for the delivery decision: a receiver that answers a script of outcomes, and a Chatwoot that
// keeps message statuses the way the status endpoint does (CONTRACT.md §2.5). Unused Chatwoot calls throw.
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
