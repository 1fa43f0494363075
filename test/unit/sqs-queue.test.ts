// The SQS adapter against a tiny SQS speaking AWS JSON 1.0 on 127.0.0.1: the exact signed requests it
// sends, failures turned into a QueueError that carries only a name, retries and the deadline.
import { createHash } from "node:crypto";
import { createServer, type Server } from "node:http";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { QueueError, SqsEventQueue, type SqsQueueOptions } from "../../functions/adapters/sqs-queue.js";

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
/** How many requests to answer with 503 before answering normally. */
let unavailableFirst: number;
/** When set, requests are read and never answered. */
let hang: boolean;

beforeEach(async () => {
  requests = [];
  failWith = undefined;
  unavailableFirst = 0;
  hang = false;
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
      if (hang) return;
      if (unavailableFirst > 0) {
        unavailableFirst -= 1;
        res.writeHead(503).end(JSON.stringify({ __type: "com.amazonaws.sqs#ServiceUnavailable" }));
        return;
      }
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
  server.closeAllConnections();
  if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
});

function makeQueue(options: Partial<SqsQueueOptions> = {}): SqsEventQueue {
  return new SqsEventQueue({
    queueUrl,
    region: "us-east-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    maxAttempts: 1,
    ...options,
  });
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

  it("signs with the session token Lambda's environment gives, and with no other credentials", async () => {
    const saved = { ...process.env };
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: "AKIAENVIRONMENT",
      AWS_SECRET_ACCESS_KEY: "secret-from-env",
      AWS_SESSION_TOKEN: "token-from-env",
    });
    try {
      await new SqsEventQueue({ queueUrl, region: "eu-west-1", maxAttempts: 1 }).setVisibility("h", 0);
    } finally {
      process.env = saved;
    }
    expect(requests.map((r) => r.authorization)).toEqual([
      expect.stringMatching(
        /^AWS4-HMAC-SHA256 Credential=AKIAENVIRONMENT\/\d{8}\/eu-west-1\/sqs\/aws4_request, SignedHeaders=[^ ]*x-amz-security-token/,
      ),
    ]);
  });

  it("sends nothing and names the cause when the environment has no credentials", async () => {
    const saved = { ...process.env };
    delete process.env.AWS_ACCESS_KEY_ID;
    delete process.env.AWS_SECRET_ACCESS_KEY;
    try {
      await expect(
        new SqsEventQueue({ queueUrl, region: "eu-west-1" }).enqueue({
          groupId: "g",
          deduplicationId: "d",
          body: "{}",
        }),
      ).rejects.toMatchObject({ name: "QueueError", awsErrorName: "CredentialsMissing" });
    } finally {
      process.env = saved;
    }
    expect(requests).toEqual([]);
  });

  it("tries again after a 503 and succeeds once SQS answers (FIFO deduplication makes the repeat harmless)", async () => {
    unavailableFirst = 2;
    await makeQueue({ maxAttempts: 3 }).enqueue({ groupId: "g", deduplicationId: "d", body: "{}" });
    expect(requests.map((r) => r.body.MessageDeduplicationId)).toEqual(["d", "d", "d"]);
  });

  it("does not try again when SQS refuses the request itself", async () => {
    failWith = { status: 400, type: "QueueDoesNotExist" };
    await expect(makeQueue({ maxAttempts: 3 }).setVisibility("h", 0)).rejects.toMatchObject({
      awsErrorName: "QueueDoesNotExist",
    });
    expect(requests).toHaveLength(1);
  });

  it("gives up on an attempt SQS never answers, at its deadline, as a RequestTimeout", async () => {
    hang = true;
    await expect(
      makeQueue({ requestTimeoutMs: 200 }).enqueue({ groupId: "g", deduplicationId: "d", body: "{}" }),
    ).rejects.toMatchObject({ name: "QueueError", operation: "SendMessage", awsErrorName: "RequestTimeout" });
    expect(requests).toHaveLength(1);
  });
});
