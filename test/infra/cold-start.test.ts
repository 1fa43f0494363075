// Each deployed function starts: its bundle, run with the environment and encrypted links the stack gives it,
// loads its configuration (functions/compose/config-source.ts through SST's Resource) and answers a request that needs no
// network: /health with 200, every other route without credentials with 401, the worker an empty batch.
import { beforeAll, describe, expect, it } from "vitest";
import { deliveryWorker, inboundWorker, routes } from "../../stacks/routes.js";
import { invokeColdStart, httpEvent, type Invocation } from "./support/cold-start.js";
import { stackRunFor } from "./support/shared-stack.js";
import { SECRETS, TYPICAL_DEPLOY, field, resource } from "./support/stack-queries.js";

const invocations = new Map<string, Invocation>();
/** Each function's package and the environment the stack gives it, for starts with a changed environment. */
const deployed = new Map<
  string,
  { build: Parameters<typeof invokeColdStart>[0]; environment: Record<string, string> }
>();

beforeAll(async () => {
  // The service keeps the typical deploy's function packages for the whole test run.
  const run = await stackRunFor(TYPICAL_DEPLOY);
  const started = run.builds.map(async (build) => {
    const variables = field(
      resource(run, "aws:lambda/function:Function", `${build.functionID}Function`),
      "environment",
      "variables",
    );
    const environment = Object.fromEntries(
      Object.entries(typeof variables === "object" && variables ? variables : {}).map(([k, v]) => [k, String(v)]),
    );
    deployed.set(build.functionID, { build, environment });
    const route = routes.find((r) => r.name === build.functionID);
    const event = route
      ? httpEvent(route.method, route.path.replace("{user_id}", "u-42"), `${route.method} ${route.path}`)
      : { Records: [] };
    invocations.set(build.functionID, await invokeColdStart(build, environment, event));
  });
  await Promise.all(started);
}, 120_000);

const statusOf = (name: string) => field(invocations.get(name)?.result, "statusCode");
const bodyOf = (name: string) => JSON.parse(String(field(invocations.get(name)?.result, "body") ?? "null"));

describe("a cold start of each deployed function", () => {
  it("answers GET /health with 200", () => {
    expect([statusOf("Health"), bodyOf("Health")]).toEqual([200, { ok: true }]);
  });

  for (const route of routes.filter((r) => r.path !== "/health")) {
    it(`loads its configuration and refuses ${route.method} ${route.path} without credentials (401)`, () => {
      expect([statusOf(route.name), field(bodyOf(route.name), "error", "code")]).toEqual([401, "unauthorized"]);
    });
  }

  it("lets the delivery worker load its configuration and finish an empty batch", () => {
    expect(invocations.get(deliveryWorker.name)?.error).toBeUndefined();
    expect(invocations.get(deliveryWorker.name)?.result).toEqual({ batchItemFailures: [] });
  });

  it("lets the inbound worker load its configuration and finish an empty batch", () => {
    expect(invocations.get(inboundWorker.name)?.error).toBeUndefined();
    expect(invocations.get(inboundWorker.name)?.result).toEqual({ batchItemFailures: [] });
  });

  it("answers a start that fails on its configuration with the spec's JSON 500, naming the variable in its log", async () => {
    const messages = deployed.get("MessagesPost");
    if (!messages) throw new Error("the typical deploy has no MessagesPost package");
    const { CHATWOOT_ACCOUNT_ID: _dropped, ...environment } = messages.environment;
    const event = httpEvent("POST", "/messages", "POST /messages");
    const started = await invokeColdStart(messages.build, environment, event);
    expect(started.error).toBeUndefined();
    expect([field(started.result, "statusCode"), JSON.parse(String(field(started.result, "body")))]).toEqual([
      500,
      { error: { code: "internal_error", message: "The bridge could not start; its log names the reason" } },
    ]);
    expect(started.stdout).toContain('"event":"bridge.start_failed"');
    expect(started.stdout).toContain("CHATWOOT_ACCOUNT_ID is required");
  });

  it("marks every log line of a first invocation with its request id and cold_start: true", () => {
    const lines = [...invocations.values()]
      .flatMap((i) => i.stdout.split("\n"))
      .filter((line) => line.startsWith('{"level"'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((l) => l.event)).toContain("sweep.failed");
    for (const line of lines)
      expect([line.event, line.aws_request_id, line.cold_start]).toEqual([line.event, "cold-start", true]);
  });

  it("never writes a secret to the logs while starting", () => {
    const logs = [...invocations.values()].map((i) => i.stdout).join("\n");
    for (const [name, value] of Object.entries(SECRETS)) expect(logs.includes(value), name).toBe(false);
  });
});
