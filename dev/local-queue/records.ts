// Turns received messages into the SQSEvent a Lambda subscriber gets, field for field, so the
// delivery worker reads the same shape locally as in AWS.
import { createHash } from "node:crypto";
import type { SQSEvent, SQSRecord } from "aws-lambda";
import type { StoredMessage } from "./state.js";

export const LOCAL_REGION = "local";
const LOCAL_ACCOUNT = "000000000000";
/** SenderId of messages sent by the local process (in AWS: the sender's IAM principal id). */
const LOCAL_SENDER_ID = "LOCAL";

export function queueArn(queueName: string): string {
  return `arn:aws:sqs:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${queueName}`;
}

export function toSqsEvent(messages: StoredMessage[], eventSourceARN: string): SQSEvent {
  return { Records: messages.map((message) => toRecord(message, eventSourceARN)) };
}

function toRecord(message: StoredMessage, eventSourceARN: string): SQSRecord {
  if (message.receiptHandle === undefined)
    throw new Error("A message must be received before it is handed to the consumer");
  return {
    messageId: message.messageId,
    receiptHandle: message.receiptHandle,
    body: message.body,
    attributes: {
      ApproximateReceiveCount: String(message.receiveCount),
      SentTimestamp: String(message.sentTimestamp),
      SenderId: LOCAL_SENDER_ID,
      ApproximateFirstReceiveTimestamp: String(message.firstReceiveTimestamp ?? message.sentTimestamp),
      SequenceNumber: message.sequenceNumber,
      MessageGroupId: message.groupId,
      MessageDeduplicationId: message.deduplicationId,
    },
    messageAttributes: {},
    md5OfBody: createHash("md5").update(message.body).digest("hex"),
    eventSource: "aws:sqs",
    eventSourceARN,
    awsRegion: LOCAL_REGION,
  };
}
