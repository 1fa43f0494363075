// Runs in the child process, bundled with the real SST program (sst.config.ts, stacks/, SST's platform):
// sets Pulumi mocks, runs the program as `sst deploy` would, and writes every resource registration, every
// provider invoke and the resolved stack outputs to INFRA_RESULT_FILE as JSON.
import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";

export const REGION = "eu-central-1";
export const ACCOUNT = "123456789012";
export const API_ENDPOINT = `https://abc123.execute-api.${REGION}.amazonaws.com`;

export interface RecordedResource {
  type: string;
  name: string;
  custom: boolean;
  inputs: Record<string, unknown>;
}

export interface RecordedCall {
  token: string;
  inputs: Record<string, unknown>;
}

export interface MockRun {
  resources: RecordedResource[];
  calls: RecordedCall[];
  outputs: Record<string, unknown>;
  errors: string[];
}

interface Program {
  run: (program: () => Promise<unknown>) => Promise<unknown>;
  config: { run: () => Promise<unknown> };
}

interface PulumiRuntime {
  setMocks(mocks: Mocks, project: string, stack: string, preview: boolean): Promise<void>;
  runInPulumiStack(init: () => Promise<unknown>): Promise<unknown>;
  disconnect(): Promise<void>;
}

interface Mocks {
  newResource(args: { type: string; name: string; inputs: unknown; custom?: boolean }): {
    id: string;
    state: Record<string, unknown>;
  };
  call(args: { token: string; inputs: unknown }): Record<string, unknown>;
}

export async function runUnderMocks(load: () => Promise<Program>): Promise<void> {
  const result: MockRun = { resources: [], calls: [], outputs: {}, errors: [] };
  let finished = false;
  const fail = (error: unknown) => {
    const message = messageOf(error);
    if (!result.errors.includes(message)) result.errors.push(message);
  };
  process.on("unhandledRejection", fail);
  // A failed Output (a missing secret) can leave the stack unresolved and Node simply runs out of work.
  process.on("exit", () => {
    if (!finished) fail("The program never finished");
    writeFileSync(String(process.env.INFRA_RESULT_FILE), JSON.stringify(result));
  });
  try {
    // The platform's own @pulumi/pulumi: this bundle lives in .sst/platform, as SST's does.
    const runtime = pulumiRuntimeOf(createRequire(import.meta.url)("@pulumi/pulumi"));
    await runtime.setMocks(mocksRecordingInto(result), "chatwoot-bridge", "test", false);
    const { run, config } = await load();
    // As Pulumi's language host does: the program runs inside the root stack resource, whose outputs it returns.
    const outputs = await runtime.runInPulumiStack(() => run(config.run));
    result.outputs = isRecord(outputs) ? outputs : {};
    await runtime.disconnect();
  } catch (error) {
    fail(error);
  }
  finished = true;
  process.exit(0);
}

function mocksRecordingInto(result: MockRun): Mocks {
  return {
    newResource({ type, name, inputs, custom }) {
      const record = isRecord(inputs) ? inputs : {};
      result.resources.push({ type, name, custom: custom ?? false, inputs: record });
      return { id: `${name}-id`, state: stateOf(type, name, record) };
    },
    call({ token, inputs }) {
      const record = isRecord(inputs) ? inputs : {};
      result.calls.push({ token, inputs: record });
      return callResult(token, record);
    },
  };
}

/** What AWS would answer for the attributes the stacks and SST's components read back. */
function stateOf(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> {
  const service = type.split(":")[1]?.split("/")[0] ?? "unknown";
  const physical = typeof inputs.name === "string" ? inputs.name : `${name}-physical`;
  const base = { ...inputs, name: physical, arn: `arn:aws:${service}:${REGION}:${ACCOUNT}:${physical}` };
  switch (type) {
    case "aws:sqs/queue:Queue": {
      // AWS requires FIFO queue names to end in .fifo; SST's physical names already do.
      const queueName = inputs.fifoQueue === true && !physical.endsWith(".fifo") ? `${physical}.fifo` : physical;
      return {
        ...base,
        name: queueName,
        arn: `arn:aws:sqs:${REGION}:${ACCOUNT}:${queueName}`,
        url: `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${queueName}`,
      };
    }
    case "aws:apigatewayv2/api:Api":
      return { ...base, apiEndpoint: API_ENDPOINT, executionArn: `arn:aws:execute-api:${REGION}:${ACCOUNT}:abc123` };
    case "aws:lambda/function:Function":
      return {
        ...base,
        arn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${physical}`,
        qualifiedArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${physical}:$LATEST`,
      };
    case "random:index/randomBytes:RandomBytes":
      return { ...inputs, base64: Buffer.alloc(32).toString("base64"), hex: "00".repeat(32) };
    default:
      return base;
  }
}

function callResult(token: string, inputs: Record<string, unknown>): Record<string, unknown> {
  switch (token) {
    case "aws:index/getRegion:getRegion":
      return { id: REGION, name: REGION, region: REGION };
    case "aws:index/getPartition:getPartition":
      return { id: "aws", partition: "aws", dnsSuffix: "amazonaws.com" };
    case "aws:index/getCallerIdentity:getCallerIdentity":
      return { id: ACCOUNT, accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:user/test`, userId: "TEST" };
    case "aws:iam/getPolicyDocument:getPolicyDocument":
      return { ...inputs, json: JSON.stringify({ Version: "2012-10-17", Statement: inputs.statements ?? [] }) };
    default:
      return {};
  }
}

function pulumiRuntimeOf(module: unknown): PulumiRuntime {
  const runtime = isRecord(module) ? module.runtime : undefined;
  if (!isRecord(runtime)) throw new Error("The platform's @pulumi/pulumi has no runtime: run `sst install` again");
  const { setMocks, runInPulumiStack, disconnect } = runtime;
  if (typeof setMocks !== "function" || typeof runInPulumiStack !== "function" || typeof disconnect !== "function") {
    throw new Error(
      "The platform's @pulumi/pulumi lacks setMocks, runInPulumiStack or disconnect: run `sst install` again",
    );
  }
  return {
    setMocks: async (mocks, project, stack, preview) => {
      await setMocks.call(runtime, mocks, project, stack, preview);
    },
    runInPulumiStack: async (init) => {
      const outputs: unknown = await runInPulumiStack.call(runtime, init);
      return outputs;
    },
    disconnect: async () => {
      await disconnect.call(runtime);
    },
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
