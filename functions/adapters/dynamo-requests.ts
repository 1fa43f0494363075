// Runs DynamoDB requests and translates their failures: a failed condition becomes `false`,
// anything else a StoreError naming the operation and the SDK error's name, never keys or values.
import { DynamoDBClient, type DynamoDBClientConfig } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";

/** DynamoDB answers in milliseconds; a hung socket must fail (and be retried) long before a Lambda times out. */
const CONNECTION_TIMEOUT_MS = 1_000;
const REQUEST_TIMEOUT_MS = 3_000;

/**
 * Cheap to build (no request is sent), so it is built at cold start. `handler` replaces the HTTP handler: the local
 * runtime passes one that answers from the embedded store in the same process (dev/in-process-store.ts).
 */
export function createDocumentClient(
  endpoint?: URL,
  handler?: DynamoDBClientConfig["requestHandler"],
): DynamoDBDocumentClient {
  const requestHandler = handler ?? {
    connectionTimeout: CONNECTION_TIMEOUT_MS,
    requestTimeout: REQUEST_TIMEOUT_MS,
    throwOnRequestTimeout: true,
  };
  const local = endpoint && {
    endpoint: endpoint.href,
    region: "local",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  };
  return DynamoDBDocumentClient.from(new DynamoDBClient({ requestHandler, ...local }));
}

/** What every table adapter is built from: the table, and the function's one client (or one for `endpoint`). */
export interface TableOptions {
  tableName: string;
  /** A local endpoint (dynalite, DynamoDB Local): region "local" and dummy credentials. */
  endpoint?: URL;
  client?: DynamoDBDocumentClient;
}

/** One item by its key, read consistently; undefined when there is none. */
export async function getByKey(
  client: DynamoDBDocumentClient,
  tableName: string,
  operation: string,
  pk: string,
): Promise<Record<string, unknown> | undefined> {
  const answer = await run(operation, () =>
    client.send(new GetCommand({ TableName: tableName, Key: { pk }, ConsistentRead: true })),
  );
  return answer.Item;
}

/** A DynamoDB failure in the port's terms; the SDK error is not kept, as its message may quote values. */
export class StoreError extends Error {
  override readonly name = "StoreError";
  readonly operation: string;
  /** The SDK error name (e.g. ProvisionedThroughputExceededException), or our own reason. */
  readonly code: string;

  constructor(operation: string, code: string) {
    super(`mapping store: ${operation} failed (${code})`);
    this.operation = operation;
    this.code = code;
  }
}

function errorName(error: unknown): string {
  return error instanceof Error && /^[A-Za-z0-9_.:-]{1,100}$/.test(error.name) ? error.name : "unknown_error";
}

/** Runs one request; any failure becomes a StoreError. */
export async function run<T>(operation: string, request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    throw new StoreError(operation, errorName(error));
  }
}

/** Runs one conditional write: true when it was applied, false when its condition failed. */
export async function guarded(operation: string, request: () => Promise<unknown>): Promise<boolean> {
  try {
    await request();
    return true;
  } catch (error) {
    // Matched by name: lib-dynamodb and client-dynamodb may come from different SDK releases.
    if (errorName(error) === "ConditionalCheckFailedException") return false;
    throw new StoreError(operation, errorName(error));
  }
}

/** The `#field` placeholders an expression uses (every attribute gets one: `state` and `result` are reserved words). */
export function namesIn(...expressions: string[]): Record<string, string> {
  const fields = expressions.flatMap((expression) =>
    [...expression.matchAll(/#(\w+)/g)].map((match) => match[1] ?? ""),
  );
  return Object.fromEntries(fields.map((field) => [`#${field}`, field]));
}
