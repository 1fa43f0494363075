// Least privilege (spec §7): each function may call only the DynamoDB and SQS actions its code sends, on the one
// resource it uses. Secrets grant nothing (SST encrypts their values into the package), so only these reach IAM.
// Pure: test/unit/permissions.test.ts reads the adapters' commands and fails on one granted nowhere here.
import type { RouteEntry } from "./routes.js";

export type GrantedResource = "MappingTable" | "DeliveryQueue" | "DeliveryDeadLetterQueue" | "InboundQueue";

export interface Grant {
  resource: GrantedResource;
  actions: string[];
}

/** The mapping store's reads (functions/adapters/dynamo-mapping-store.ts: strongly consistent GetItem only). */
export const TABLE_READ = ["dynamodb:GetItem"];
/** Its writes: conditional puts, updates and deletes (leases, claims, mappings). */
export const TABLE_WRITE = ["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"];
/** The webhook route's enqueue (functions/adapters/sqs-queue.ts). */
export const QUEUE_SEND = ["sqs:SendMessage"];
/**
 * The worker's queue: what Lambda's event source mapping does with the function's own role (receive, delete, read
 * the queue's attributes), plus the worker's ChangeMessageVisibility, which sets each retry's delay.
 */
export const QUEUE_CONSUME = [
  "sqs:ReceiveMessage",
  "sqs:DeleteMessage",
  "sqs:GetQueueAttributes",
  "sqs:ChangeMessageVisibility",
];

/** An HTTP route: a GET only reads the table; the others read and write it; `queue` and `inbound` enqueue. */
export function routeGrants(route: Pick<RouteEntry, "method" | "uses">): Grant[] {
  const grants: Grant[] = [];
  if (route.uses.includes("table")) {
    const actions = route.method === "GET" ? TABLE_READ : [...TABLE_READ, ...TABLE_WRITE];
    grants.push({ resource: "MappingTable", actions });
  }
  if (route.uses.includes("queue")) grants.push({ resource: "DeliveryQueue", actions: QUEUE_SEND });
  // POST /messages with `Prefer: respond-async` queues the message for the inbound worker.
  if (route.uses.includes("inbound")) grants.push({ resource: "InboundQueue", actions: QUEUE_SEND });
  return grants;
}

/**
 * The delivery worker reads and writes the table, consumes its queue and sends on it (status-mark retries), and
 * sends what it gave up on to the dead-letter queue itself (docs/delivery.md).
 */
export function workerGrants(worker: { uses: readonly string[] }): Grant[] {
  const grants: Grant[] = [];
  if (worker.uses.includes("table"))
    grants.push({ resource: "MappingTable", actions: [...TABLE_READ, ...TABLE_WRITE] });
  grants.push({ resource: "DeliveryQueue", actions: [...QUEUE_CONSUME, ...QUEUE_SEND] });
  grants.push({ resource: "DeliveryDeadLetterQueue", actions: QUEUE_SEND });
  return grants;
}

/** The inbound worker reads and writes the table, consumes its queue and queues outcomes for delivery. */
export function inboundWorkerGrants(): Grant[] {
  return [
    { resource: "MappingTable", actions: [...TABLE_READ, ...TABLE_WRITE] },
    { resource: "InboundQueue", actions: QUEUE_CONSUME },
    { resource: "DeliveryQueue", actions: QUEUE_SEND },
  ];
}

/** The sweep reads the table, claims what it signalled and keeps its position, and queues its signals. */
export function sweepGrants(): Grant[] {
  return [
    { resource: "MappingTable", actions: [...TABLE_READ, ...TABLE_WRITE] },
    { resource: "DeliveryQueue", actions: QUEUE_SEND },
  ];
}
