// Least privilege under the Pulumi mocks (spec §7): each function's role allows exactly the DynamoDB and SQS actions
// its code calls, on its own table or queue, and nothing on any other resource; secrets reach it only as links.
import { beforeAll, describe, expect, it } from "vitest";
import { stackRunFor } from "./support/shared-stack.js";
import type { StackRun } from "./support/stack-run.js";
import { TYPICAL_DEPLOY, resource, roleStatements, text } from "./support/stack-queries.js";

let run: StackRun;
beforeAll(async () => {
  run = await stackRunFor(TYPICAL_DEPLOY);
}, 120_000);

const tableArn = () =>
  `arn:aws:dynamodb:eu-central-1:123456789012:${text(resource(run, "aws:dynamodb/table:Table", "MappingTableTable").name)}`;
const queueArn = (name = "DeliveryQueue") =>
  `arn:aws:sqs:eu-central-1:123456789012:${text(resource(run, "aws:sqs/queue:Queue", `${name}Queue`).name)}`;

const READ = ["dynamodb:GetItem"];
const READ_WRITE = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"];
const CONSUME = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ChangeMessageVisibility"];

describe("each function's IAM policy", () => {
  it("allows exactly the actions its code calls, on its own resources", () => {
    const table = (actions: string[]) => ({ effect: "Allow", actions, resources: [tableArn()] });
    const queue = (actions: string[], name?: string) => ({ effect: "Allow", actions, resources: [queueArn(name)] });
    const SEND = ["sqs:SendMessage"];
    const expected: Record<string, unknown[]> = {
      Health: [],
      ContactsGet: [table(READ)],
      ContactsPost: [table(READ_WRITE)],
      ConversationsPost: [table(READ_WRITE)],
      // Prefer: respond-async queues the message for the inbound worker.
      MessagesPost: [table(READ_WRITE), queue(SEND, "InboundQueue")],
      EventsPost: [table(READ_WRITE)],
      ChatwootWebhook: [queue(SEND)],
      // Status-mark retries go on its own queue; what it gives up on it sends to the dead-letter queue itself.
      DeliveryWorker: [table(READ_WRITE), queue([...CONSUME, ...SEND]), queue(SEND, "DeliveryDeadLetterQueue")],
      InboundWorker: [table(READ_WRITE), queue(CONSUME, "InboundQueue"), queue(SEND)],
      Sweep: [table(READ_WRITE), queue(SEND)],
    };
    for (const [name, statements] of Object.entries(expected)) {
      expect(roleStatements(run, name), name).toEqual(statements);
    }
  });

  it("grants no wildcard action and no wildcard resource to any function", () => {
    for (const name of ["Health", "ContactsGet", "ContactsPost", "ConversationsPost", "MessagesPost"]) {
      for (const statement of roleStatements(run, name)) {
        expect(
          statement.actions.filter((a) => a.includes("*")),
          name,
        ).toEqual([]);
        expect(
          statement.resources.filter((r) => r.includes("*")),
          name,
        ).toEqual([]);
      }
    }
  });

  it("hands the table and queue names as environment, only to the functions that use them", () => {
    const variables = (name: string) => {
      const fn = resource(run, "aws:lambda/function:Function", `${name}Function`);
      const environment = fn.environment;
      const all = environment && typeof environment === "object" ? Reflect.get(environment, "variables") : undefined;
      const vars: Record<string, unknown> = all && typeof all === "object" ? { ...all } : {};
      return [vars.BRIDGE_TABLE_NAME !== undefined, vars.BRIDGE_QUEUE_URL !== undefined];
    };
    expect(variables("Health")).toEqual([false, false]);
    expect(variables("ContactsGet")).toEqual([true, false]);
    expect(variables("MessagesPost")).toEqual([true, false]);
    expect(variables("ChatwootWebhook")).toEqual([false, true]);
    expect(variables("DeliveryWorker")).toEqual([true, true]);
  });
});
