// The SQS adapter against a tiny SQS speaking AWS JSON 1.0 on 127.0.0.1: the exact requests it
// sends, and SDK failures turned into a QueueError that carries no SDK type.
import { createHash } from "node:crypto";
import { createServer, type Server } from "node:http";
import { SQSClient, SQSServiceException } from "@aws-sdk/client-sqs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { QueueError, SqsEventQueue } from "../../functions/adapters/sqs-queue.js";

interface SeenRequest {
  target: string | undefined;
  contentType: string | undefined;
  authorization: string | undefined;
  body: Record<string, unknown>;
}

let server: Server;
let endpoint: string;
let queueUrl: string;
let requests: SeenRequest[];
/** When set, every request is answered with this AWS JSON error. */
let failWith: { status: number; type: string } | undefined;

beforeEach(async () => {
  requests = [];
  failWith = undefined;
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body: Record<string, unknown> = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      const target = req.headers["x-amz-target"];
      requests.push({
        target: typeof target === "string" ? target : undefined,
        contentType: req.headers["content-type"],
        authorization: req.headers.authorization,
        body,
      });
      res.setHeader("content-type", "application/x-amz-json-1.0");
      if (failWith) {
        res.writeHead(failWith.status).end(
          JSON.stringify({
            __type: `com.amazonaws.sqs#${failWith.type}`,
            message: "The specified queue does not exist.",
          }),
        );
        return;
      }
      if (target === "AmazonSQS.SendMessage") {
        // The SDK checks MD5OfMessageBody against what it sent.
        const md5 = createHash("md5").update(String(body.MessageBody)).digest("hex");
        res.end(
          JSON.stringify({
            MessageId: "0f8d2c1e-0000-4000-8000-000000000001",
            MD5OfMessageBody: md5,
            SequenceNumber: "18849496460467696128",
          }),
        );
        return;
      }
      res.end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  endpoint = `http://127.0.0.1:${port}`;
  queueUrl = `${endpoint}/000000000000/bridge-delivery.fifo`;
});

afterEach(async () => {
  if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
});

function makeQueue(url = endpoint): SqsEventQueue {
  const client = new SQSClient({
    endpoint: url,
    region: "us-east-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    maxAttempts: 1,
  });
  return new SqsEventQueue({ queueUrl, client });
}

describe("SqsEventQueue", () => {
  it("sends one SendMessage with the body, the message group and the deduplication id", async () => {
    await makeQueue().enqueue({
      groupId: "conv-287",
      deduplicationId: "evt-91207",
      body: '{"type":"message.created"}',
    });
    expect(requests).toEqual([
      {
        target: "AmazonSQS.SendMessage",
        contentType: "application/x-amz-json-1.0",
        authorization: expect.stringMatching(/^AWS4-HMAC-SHA256 Credential=test\/\d{8}\/us-east-1\/sqs\/aws4_request/),
        body: {
          QueueUrl: queueUrl,
          MessageBody: '{"type":"message.created"}',
          MessageGroupId: "conv-287",
          MessageDeduplicationId: "evt-91207",
        },
      },
    ]);
  });

  it("leaves the deduplication id out when it is empty, for the queue's content-based deduplication", async () => {
    await makeQueue().enqueue({ groupId: "conv-287", deduplicationId: "", body: "{}" });
    expect(requests.map((r) => r.body)).toEqual([
      { QueueUrl: queueUrl, MessageBody: "{}", MessageGroupId: "conv-287" },
    ]);
  });

  it("changes a received message's visibility with ChangeMessageVisibility", async () => {
    await makeQueue().setVisibility("AQEB-receipt-handle", 120);
    expect(requests.map((r) => [r.target, r.body])).toEqual([
      [
        "AmazonSQS.ChangeMessageVisibility",
        { QueueUrl: queueUrl, ReceiptHandle: "AQEB-receipt-handle", VisibilityTimeout: 120 },
      ],
    ]);
  });

  it("turns an SQS error into a QueueError naming the operation, with no SDK error inside", async () => {
    failWith = { status: 400, type: "QueueDoesNotExist" };
    const error: unknown = await makeQueue()
      .enqueue({ groupId: "g", deduplicationId: "d", body: "{}" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueueError);
    expect(error).not.toBeInstanceOf(SQSServiceException);
    expect(error).toMatchObject({
      name: "QueueError",
      operation: "SendMessage",
      awsErrorName: "QueueDoesNotExist",
      message: "SQS SendMessage failed (QueueDoesNotExist)",
    });
    expect(error instanceof Error ? error.cause : "not an error").toBeUndefined();
  });

  it("turns an unreachable endpoint into a QueueError for ChangeMessageVisibility", async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await expect(makeQueue().setVisibility("h", 0)).rejects.toMatchObject({
      name: "QueueError",
      operation: "ChangeMessageVisibility",
    });
  });
});
