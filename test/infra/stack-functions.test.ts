// The real sst.config.ts under Pulumi mocks: one API route and one function per manifest entry, each on the
// chosen runtime with exactly the deploy settings as environment and only the links its `uses` need.
import { beforeAll, describe, expect, it } from "vitest";
import { queueWorkers, routes, sweep } from "../../stacks/routes.js";
import { stackRunFor } from "./support/shared-stack.js";
import type { StackRun } from "./support/stack-run.js";
import { DEPLOY_ENV, SECRETS, TYPICAL_DEPLOY, field, resource, resourcesOf, text } from "./support/stack-queries.js";

let run: StackRun;

beforeAll(async () => {
  run = await stackRunFor(TYPICAL_DEPLOY);
}, 120_000);

/** Per function: [memory MB, timeout s, reserved concurrency (none: docs/infra.md "Capacity"), what it is given]. */
const EXPECTED: Record<string, [number, number, number | undefined, string[]]> = {
  Health: [512, 10, undefined, []],
  ContactsPost: [512, 29, undefined, ["MappingTable", "ChatwootApiToken", "BridgeApiKey"]],
  ContactsGet: [512, 10, undefined, ["MappingTable", "BridgeApiKey"]],
  ConversationsPost: [512, 29, undefined, ["MappingTable", "ChatwootApiToken", "BridgeApiKey"]],
  MessagesPost: [1024, 29, undefined, ["MappingTable", "ChatwootApiToken", "InboundQueue", "BridgeApiKey"]],
  EventsPost: [512, 29, undefined, ["MappingTable", "ChatwootApiToken", "BridgeApiKey"]],
  ChatwootWebhook: [512, 10, undefined, ["DeliveryQueue", "ChatwootWebhookSecret"]],
  DeliveryWorker: [
    512,
    78,
    undefined,
    ["MappingTable", "ChatwootApiToken", "DeliverySecret", "DeliveryQueue", "DeliveryDeadLetterQueue"],
  ],
  InboundWorker: [1024, 120, undefined, ["MappingTable", "ChatwootApiToken", "DeliveryQueue", "InboundQueue"]],
  Sweep: [512, 75, 1, ["MappingTable", "DeliveryQueue", "ChatwootApiToken"]],
};

const lambda = (name: string) => resource(run, "aws:lambda/function:Function", `${name}Function`);
const buildOf = (name: string) => run.builds.find((b) => b.functionID === name);

describe("the mocked deploy", () => {
  it("finishes without errors", () => {
    expect(run.errors).toEqual([]);
  });

  it("creates exactly one function per manifest entry, per queue worker and the sweep", () => {
    const functions = resourcesOf(run, "sst:aws:Function").map((r) => r.name);
    expect(functions.sort()).toEqual([...routes, ...queueWorkers, sweep].map((r) => r.name).sort());
    expect(Object.keys(EXPECTED).sort()).toEqual(functions.sort());
  });

  it("routes every manifest entry to its own function through API Gateway", () => {
    const integrations = resourcesOf(run, "aws:apigatewayv2/integration:Integration");
    const routed = resourcesOf(run, "aws:apigatewayv2/route:Route").map((route) => {
      const integration = integrations.find((i) => field(route.inputs, "target") === `integrations/${i.name}-id`);
      const uri = text(
        field(resource(run, "aws:apigatewayv2/integration:Integration", integration?.name ?? ""), "integrationUri"),
      );
      const fn = routes.find((r) => uri.endsWith(`:function:${text(lambda(r.name).name)}`));
      return `${text(field(route.inputs, "routeKey"))} -> ${fn?.name ?? "?"}`;
    });
    expect(routed.sort()).toEqual(routes.map((r) => `${r.method} ${r.path} -> ${r.name}`).sort());
  });

  it("builds each handler file of the manifest, and its bundle exports only `handler`", () => {
    for (const entry of [...routes, ...queueWorkers, sweep]) {
      expect(buildOf(entry.name)?.handler, entry.name).toBe(`${entry.handler}.handler`);
      expect(buildOf(entry.name)?.exports, entry.name).toEqual(["handler"]);
      expect(lambda(entry.name).handler, entry.name).toBe(`${entry.handler}.handler`);
    }
  });

  it("runs every function on nodejs22.x, arm64, with its memory, timeout and reserved concurrency", () => {
    for (const [name, [memory, timeout, reserved]] of Object.entries(EXPECTED)) {
      const fn = lambda(name);
      expect([fn.runtime, fn.architectures, fn.memorySize, fn.timeout, fn.reservedConcurrentExecutions], name).toEqual([
        "nodejs22.x",
        ["arm64"],
        memory,
        timeout,
        reserved,
      ]);
    }
  });

  it("bundles minified ESM for node22, without source maps, with the environment-only credential plugin", () => {
    for (const name of Object.keys(EXPECTED)) {
      expect(buildOf(name)?.properties, name).toEqual({
        format: "esm",
        minify: true,
        sourcemap: false,
        esbuild: { target: "node22" },
        plugins: "stacks/esbuild-plugins.mjs",
        architecture: "arm64",
      });
    }
  });

  it("gives every function the deploy settings, BRIDGE_RUNTIME=aws, its link names and its table or queue, and no secret as plain environment", () => {
    const tableName = text(resource(run, "aws:dynamodb/table:Table", "MappingTableTable").name);
    const urlOf = (queue: string) =>
      `https://sqs.eu-central-1.amazonaws.com/123456789012/${text(resource(run, "aws:sqs/queue:Queue", `${queue}Queue`).name)}`;
    for (const [name, [, , , links]] of Object.entries(EXPECTED)) {
      const variables = field(lambda(name), "environment", "variables");
      const ours = Object.fromEntries(
        Object.entries(typeof variables === "object" && variables ? variables : {}).filter(
          ([key]) => !key.startsWith("SST_"),
        ),
      );
      expect(ours, name).toEqual({
        ...DEPLOY_ENV,
        BRIDGE_RUNTIME: "aws",
        BRIDGE_LINKS: links.join(",") || "none",
        ...(links.includes("MappingTable") ? { BRIDGE_TABLE_NAME: tableName } : {}),
        ...(links.includes("DeliveryQueue") ? { BRIDGE_QUEUE_URL: urlOf("DeliveryQueue") } : {}),
        ...(links.includes("DeliveryDeadLetterQueue")
          ? { BRIDGE_DEAD_LETTER_QUEUE_URL: urlOf("DeliveryDeadLetterQueue") }
          : {}),
        ...(links.includes("InboundQueue") ? { BRIDGE_INBOUND_QUEUE_URL: urlOf("InboundQueue") } : {}),
      });
      expect(JSON.stringify(variables), name).not.toMatch(
        new RegExp(Object.values(SECRETS).join("|").replace(/[+/=]/g, "\\$&")),
      );
    }
  });

  it("links each function to exactly the secrets it needs, and to no table or queue (their links grant `*`)", () => {
    for (const [name, [, , , links]] of Object.entries(EXPECTED)) {
      const resources = ["MappingTable", "DeliveryQueue", "DeliveryDeadLetterQueue", "InboundQueue"];
      const secrets = links.filter((link) => !resources.includes(link));
      expect(Object.keys(buildOf(name)?.links ?? {}), name).toEqual(secrets);
    }
  });

  it("hands the linked secrets' values to the build, under the names functions/compose/config-source.ts reads", () => {
    const links = buildOf("ChatwootWebhook")?.links ?? {};
    expect(links.ChatwootWebhookSecret?.value).toBe(SECRETS.ChatwootWebhookSecret);
    const inbound = buildOf("MessagesPost")?.links ?? {};
    expect(inbound.BridgeApiKey?.value).toBe(SECRETS.BridgeApiKey);
  });

  it("lets only Lambda assume the function roles", () => {
    for (const name of Object.keys(EXPECTED)) {
      expect(field(resource(run, "aws:iam/role:Role", `${name}Role`), "assumeRolePolicy", "Statement"), name).toEqual([
        {
          Sid: "AllowAssumeRole",
          Effect: "Allow",
          Action: "sts:AssumeRole",
          Principal: { Service: "lambda.amazonaws.com" },
        },
      ]);
    }
  });
});
