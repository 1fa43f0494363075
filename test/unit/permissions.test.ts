// Least privilege stays true as the code changes: every DynamoDB or SQS command an adapter sends is an action
// stacks/permissions.ts grants, so a new command fails here before it fails with AccessDenied in AWS.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { QUEUE_CONSUME, QUEUE_SEND, TABLE_READ, TABLE_WRITE, routeGrants } from "../../stacks/permissions.js";
import { routes } from "../../stacks/routes.js";

const ADAPTERS = new URL("../../functions/adapters/", import.meta.url).pathname;

/** The lib-dynamodb document commands send the low-level API's item actions. */
const DOCUMENT_ACTIONS: Record<string, string> = {
  Get: "GetItem",
  Put: "PutItem",
  Update: "UpdateItem",
  Delete: "DeleteItem",
  BatchGet: "BatchGetItem",
  BatchWrite: "BatchWriteItem",
  TransactGet: "TransactGetItems",
  TransactWrite: "TransactWriteItems",
};

/** The SDK's `new XCommand(` and the light SQS client's `this.call("X", …)` (adapters/sqs-queue.ts). */
function commandsIn(prefix: string): string[] {
  const files = readdirSync(ADAPTERS).filter((file) => file.startsWith(prefix) && file.endsWith(".ts"));
  const names = files.flatMap((file) => {
    const source = readFileSync(join(ADAPTERS, file), "utf8");
    return [...source.matchAll(/new (\w+)Command\(|this\.call\("(\w+)"/g)].map((m) => m[1] ?? m[2] ?? "");
  });
  return [...new Set(names)].sort();
}

describe("the granted actions", () => {
  it("cover every DynamoDB command of the mapping store", () => {
    const actions = commandsIn("dynamo-").map((name) => `dynamodb:${DOCUMENT_ACTIONS[name] ?? name}`);
    expect(actions.length).toBeGreaterThan(0);
    expect(actions.filter((action) => ![...TABLE_READ, ...TABLE_WRITE].includes(action))).toEqual([]);
  });

  it("cover every SQS command of the queue adapter", () => {
    const actions = commandsIn("sqs-").map((name) => `sqs:${name}`);
    expect(actions.length).toBeGreaterThan(0);
    expect(actions.filter((action) => ![...QUEUE_SEND, ...QUEUE_CONSUME].includes(action))).toEqual([]);
  });

  it("let GET routes only read, and give no route a queue it does not use", () => {
    for (const route of routes) {
      const grants = routeGrants(route);
      if (route.method === "GET")
        expect(grants.flatMap((g) => g.actions).every((a) => TABLE_READ.includes(a))).toBe(true);
      expect(
        grants.some((g) => g.resource === "DeliveryQueue"),
        route.name,
      ).toBe(route.uses.includes("queue"));
    }
  });
});
