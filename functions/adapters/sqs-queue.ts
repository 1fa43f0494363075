// The delivery queue in AWS: SQS FIFO SendMessage and ChangeMessageVisibility over SQS's JSON protocol, signed with
// SigV4 (@smithy/signature-v4, which the DynamoDB client brings) and sent with node:https. Not the SQS SDK client:
// the webhook route's bundle holds only this, so it stays small and starts fast. Credentials come from the
// environment Lambda sets for the function's role. Every failure becomes a QueueError naming the operation.
import { createHash, createHmac, type Hash, type Hmac } from "node:crypto";
import type { Agent as HttpAgent, IncomingMessage } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { SignatureV4 } from "@smithy/signature-v4";
import type { EventQueue, QueueControl, QueuedEvent } from "../core/ports.js";
import { http } from "./node-http.js";

export type QueueOperation = "SendMessage" | "ChangeMessageVisibility";

/** SQS answers in milliseconds; a hung connection must fail (and be retried) long before a Lambda times out. */
const CONNECT_TIMEOUT_MS = 1_000;
const REQUEST_TIMEOUT_MS = 3_000;
/** As the SDK's standard retry mode: network failures, timeouts, 5xx and throttling are tried again. */
const MAX_ATTEMPTS = 3;
const BACKOFF_BASE_MS = 50;
const THROTTLING = new Set(["ThrottlingException", "RequestThrottled", "RequestThrottledException", "KmsThrottled"]);

/** A queue call failed. `awsErrorName` is SQS's error name (e.g. "QueueDoesNotExist") or ours: a class, never content. */
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

export interface QueueCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface SqsQueueOptions {
  queueUrl: string;
  /** Default: the Lambda environment's AWS_REGION, else the region in the queue URL's host. */
  region?: string;
  /** Default: the Lambda environment's AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN. */
  credentials?: QueueCredentials;
  maxAttempts?: number;
  /** Default REQUEST_TIMEOUT_MS: the bound of one attempt, connection included. */
  requestTimeoutMs?: number;
}

/** One answer: its status and the error name SQS gave, if any. */
interface Answer {
  status: number;
  errorName: string | undefined;
}

export class SqsEventQueue implements EventQueue, QueueControl {
  private readonly endpoint: URL;
  private readonly signer: SignatureV4;
  private readonly agent: HttpAgent;
  private readonly maxAttempts: number;

  constructor(private readonly options: SqsQueueOptions) {
    // The queue URL's origin is SQS's endpoint for its region (the SDK's useQueueUrlAsEndpoint does the same).
    this.endpoint = new URL(options.queueUrl);
    const region = options.region ?? process.env.AWS_REGION ?? /^sqs\.([a-z0-9-]+)\./.exec(this.endpoint.hostname)?.[1];
    this.signer = new SignatureV4({
      service: "sqs",
      region: region ?? "us-east-1",
      credentials: async () => options.credentials ?? environmentCredentials(),
      sha256: Sha256,
    });
    const Agent = this.endpoint.protocol === "http:" ? http.Agent : HttpsAgent;
    // Kept alive: a warm Lambda reuses its connection, as the SDK client did.
    this.agent = new Agent({ keepAlive: true });
    this.maxAttempts = options.maxAttempts ?? MAX_ATTEMPTS;
  }

  /** An empty deduplicationId leaves it to the queue's content-based deduplication (sha256 of the body). */
  async enqueue(event: QueuedEvent): Promise<void> {
    await this.call("SendMessage", {
      QueueUrl: this.options.queueUrl,
      MessageBody: event.body,
      MessageGroupId: event.groupId,
      ...(event.deduplicationId === "" ? {} : { MessageDeduplicationId: event.deduplicationId }),
    });
  }

  async setVisibility(receiptHandle: string, seconds: number): Promise<void> {
    await this.call("ChangeMessageVisibility", {
      QueueUrl: this.options.queueUrl,
      ReceiptHandle: receiptHandle,
      VisibilityTimeout: seconds,
    });
  }

  private async call(operation: QueueOperation, input: Record<string, unknown>): Promise<void> {
    const body = JSON.stringify(input);
    let last: Answer = { status: 0, errorName: undefined };
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      if (attempt > 1) await backoff(attempt);
      last = await this.send(operation, body).catch((error: unknown) => ({ status: 0, errorName: failureName(error) }));
      if (last.status >= 200 && last.status < 300) return;
      if (!retryable(last)) break;
    }
    throw new QueueError(operation, last.errorName ?? `HTTP ${last.status}`);
  }

  private async send(operation: QueueOperation, body: string): Promise<Answer> {
    const { hostname, port, protocol } = this.endpoint;
    const signed = await this.signer.sign({
      method: "POST",
      protocol,
      hostname,
      ...(port ? { port: Number(port) } : {}),
      path: "/",
      query: {},
      headers: {
        host: this.endpoint.host,
        "content-type": "application/x-amz-json-1.0",
        "x-amz-target": `AmazonSQS.${operation}`,
        "content-length": String(Buffer.byteLength(body)),
      },
      body,
    });
    return post(this.endpoint, signed.headers, body, this.agent, this.options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS);
  }
}

/** Lambda puts the function role's credentials in its environment; nothing else is looked at. */
function environmentCredentials(): QueueCredentials {
  const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey } = process.env;
  if (!accessKeyId || !secretAccessKey) throw new CredentialsMissing();
  const sessionToken = process.env.AWS_SESSION_TOKEN;
  return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
}

class CredentialsMissing extends Error {
  override readonly name = "CredentialsMissing";
}

class Timeout extends Error {
  override readonly name: "ConnectTimeout" | "RequestTimeout";
  constructor(name: "ConnectTimeout" | "RequestTimeout") {
    super(name);
    this.name = name;
  }
}

/** One POST with a deadline to connect and one for the whole exchange. */
function post(
  endpoint: URL,
  headers: Record<string, string>,
  body: string,
  agent: HttpAgent,
  timeoutMs: number,
): Promise<Answer> {
  const send = endpoint.protocol === "http:" ? http.request : httpsRequest;
  return new Promise((resolve, reject) => {
    const request = send(endpoint, { method: "POST", headers, agent }, (response) => {
      readAnswer(response).then(resolve, reject);
    });
    const overall = setTimeout(() => request.destroy(new Timeout("RequestTimeout")), timeoutMs);
    request.once("close", () => clearTimeout(overall));
    request.once("socket", (socket) => {
      if (!socket.connecting) return;
      const connect = setTimeout(() => request.destroy(new Timeout("ConnectTimeout")), CONNECT_TIMEOUT_MS);
      socket.once("connect", () => clearTimeout(connect));
      socket.once("close", () => clearTimeout(connect));
    });
    request.once("error", reject);
    request.end(body);
  });
}

/** SQS's JSON errors name themselves in `__type` ("com.amazonaws.sqs#QueueDoesNotExist"); the message is dropped. */
async function readAnswer(response: IncomingMessage): Promise<Answer> {
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  const status = response.statusCode ?? 0;
  if (status >= 200 && status < 300) return { status, errorName: undefined };
  let type: unknown;
  try {
    type = Reflect.get(JSON.parse(Buffer.concat(chunks).toString("utf8")), "__type");
  } catch {
    type = response.headers["x-amzn-errortype"];
  }
  return { status, errorName: typeof type === "string" ? safeName(type.split("#").pop() ?? "") : undefined };
}

function safeName(name: string): string | undefined {
  const bare = name.split(":")[0] ?? "";
  return /^[A-Za-z0-9_.-]{1,100}$/.test(bare) ? bare : undefined;
}

function failureName(error: unknown): string {
  if (!(error instanceof Error)) return "unknown_error";
  const code = Reflect.get(error, "code");
  return safeName(typeof code === "string" ? code : error.name) ?? "unknown_error";
}

function retryable({ status, errorName }: Answer): boolean {
  if (errorName === "CredentialsMissing") return false;
  return status === 0 || status >= 500 || status === 429 || (errorName !== undefined && THROTTLING.has(errorName));
}

function backoff(attempt: number): Promise<void> {
  const ms = Math.random() * BACKOFF_BASE_MS * 2 ** (attempt - 1);
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** SHA-256 and HMAC-SHA256 for the signer, from node:crypto (what the SDK's @smithy/hash-node does). */
class Sha256 {
  private readonly hash: Hash | Hmac;

  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = secret === undefined ? createHash("sha256") : createHmac("sha256", bytes(secret));
  }

  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(bytes(data));
  }

  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

function bytes(data: string | ArrayBuffer | ArrayBufferView): Buffer {
  if (typeof data === "string") return Buffer.from(data, "utf8");
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}
