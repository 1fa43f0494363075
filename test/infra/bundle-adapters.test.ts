// Each function bundles only the adapters its route uses (issue 11): in the bundles the mocked deploy built with
// the stack's bundling options, the adapters are read from esbuild's metafile and grouped by the port they implement.
import { beforeAll, describe, expect, it } from "vitest";
import { stackRunFor } from "./support/shared-stack.js";
import { TYPICAL_DEPLOY } from "./support/stack-queries.js";

/** The port an adapter file serves; a file not listed here stands for itself, so a new one shows up. */
function portOf(file: string): string {
  // The DynamoDB client's credential chain (stacks/esbuild-plugins.mjs).
  if (file === "lambda-credentials.ts") return "store";
  if (file.startsWith("dynamo-")) return "store";
  if (file.startsWith("chatwoot-")) return "chatwoot";
  if (file.startsWith("attachment-") || file === "address-ranges.ts") return "downloader";
  if (file === "sqs-queue.ts") return "queue";
  if (file === "webhook-sender.ts") return "delivery";
  return file;
}

/**
 * Minified bytes per function (docs/performance.md): the goals of issue 18. The DynamoDB routes and the worker meet
 * 450 KB since the default credential chain gave way to the environment's (stacks/esbuild-plugins.mjs).
 */
const MAX_BYTES: Record<string, number> = {
  Health: 20_000,
  ChatwootWebhook: 120_000,
  ContactsGet: 450_000,
  ContactsPost: 450_000,
  ConversationsPost: 450_000,
  MessagesPost: 450_000,
  DeliveryWorker: 450_000,
};

const ports = new Map<string, string[]>();
const bytes = new Map<string, number>();
beforeAll(async () => {
  // The bundles the typical deploy built for each function, with the stack's own bundling settings.
  for (const build of (await stackRunFor(TYPICAL_DEPLOY)).builds) {
    // node-http.ts is no port: the queue's and the downloader's way to node:http.
    const adapters = build.adapters.filter((file) => file !== "node-http.ts");
    ports.set(build.functionID, [...new Set(adapters.map(portOf))].sort());
    bytes.set(build.functionID, build.bytes);
  }
}, 120_000);

describe("each function's bundle", () => {
  it("holds no adapter for GET /health", () => {
    expect(ports.get("Health")).toEqual([]);
  });

  it("holds only the store for GET /contacts/{user_id}: no Chatwoot client, no downloader, no SQS", () => {
    expect(ports.get("ContactsGet")).toEqual(["store"]);
  });

  it("holds the store and Chatwoot for the inbound routes that post no message: no downloader, no queue", () => {
    for (const name of ["ContactsPost", "ConversationsPost", "EventsPost"])
      expect(ports.get(name), name).toEqual(["chatwoot", "store"]);
  });

  it("holds the downloader and the inbound queue besides for POST /messages and the inbound worker", () => {
    for (const name of ["MessagesPost", "InboundWorker"])
      expect(ports.get(name), name).toEqual(["chatwoot", "downloader", "queue", "store"]);
  });

  it("holds only the SQS queue for the webhook route: no Chatwoot client, no store", () => {
    expect(ports.get("ChatwootWebhook")).toEqual(["queue"]);
  });

  it("holds the store, Chatwoot, the signed sender and queue control for the worker, and no downloader", () => {
    expect(ports.get("DeliveryWorker")).toEqual(["chatwoot", "delivery", "queue", "store"]);
  });

  it("holds the store, Chatwoot and the queue for the sweep: no downloader, no signed sender", () => {
    expect(ports.get("Sweep")).toEqual(["chatwoot", "queue", "store"]);
  });
  for (const [name, limit] of Object.entries(MAX_BYTES)) {
    it(`keeps ${name} at or under ${limit / 1000} KB minified`, () => {
      expect(bytes.get(name), name).toBeGreaterThan(0);
      expect(bytes.get(name) ?? Number.POSITIVE_INFINITY, name).toBeLessThanOrEqual(limit);
    });
  }
});
