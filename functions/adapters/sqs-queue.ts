// The delivery queue in AWS: SQS FIFO SendMessage and ChangeMessageVisibility. SDK errors are
// translated here into a QueueError naming the operation; no SDK type or message leaves this file.
import { ChangeMessageVisibilityCommand, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import type { EventQueue, QueueControl, QueuedEvent } from "../core/ports.js";

export type QueueOperation = "SendMessage" | "ChangeMessageVisibility";

/** A queue call failed. `awsErrorName` is the SDK's error name (e.g. "QueueDoesNotExist"): a class, never content. */
export class QueueError extends Error {
  override readonly name = "QueueError";
  readonly operation: QueueOperation;
  readonly awsErrorName: string | undefined;

  constructor(operation: QueueOperation, awsErrorName: string | undefined) {
    super(`SQS ${operation} failed${awsErrorName ? ` (${awsErrorName})` : ""}`);
    this.operation = operation;
    this.awsErrorName = awsErrorName;
  }
}

export class SqsEventQueue implements EventQueue, QueueControl {
  private readonly queueUrl: string;
  private readonly client: SQSClient;

  constructor(options: { queueUrl: string; client?: SQSClient }) {
    this.queueUrl = options.queueUrl;
    this.client = options.client ?? new SQSClient({});
  }

  /** An empty deduplicationId leaves it to the queue's content-based deduplication (sha256 of the body). */
  async enqueue(event: QueuedEvent): Promise<void> {
    const command = new SendMessageCommand({
      QueueUrl: this.queueUrl,
      MessageBody: event.body,
      MessageGroupId: event.groupId,
      MessageDeduplicationId: event.deduplicationId === "" ? undefined : event.deduplicationId,
    });
    await this.call("SendMessage", () => this.client.send(command));
  }

  async setVisibility(receiptHandle: string, seconds: number): Promise<void> {
    const command = new ChangeMessageVisibilityCommand({
      QueueUrl: this.queueUrl,
      ReceiptHandle: receiptHandle,
      VisibilityTimeout: seconds,
    });
    await this.call("ChangeMessageVisibility", () => this.client.send(command));
  }

  private async call(operation: QueueOperation, send: () => Promise<unknown>): Promise<void> {
    try {
      await send();
    } catch (error) {
      // The SDK error carries the request and response metadata: keep only its name.
      throw new QueueError(operation, error instanceof Error ? error.name : undefined);
    }
  }
}
