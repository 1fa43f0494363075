// The credential chain of a deployed bundle: the environment Lambda sets, and nothing else
// (functions/adapters/lambda-credentials.ts), put in place of the SDK's default chain by stacks/esbuild-plugins.mjs.
import { fileURLToPath, pathToFileURL } from "node:url";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { build } from "esbuild";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { CredentialsMissingError, defaultProvider } from "../../functions/adapters/lambda-credentials.js";
import { NODEJS_BUNDLING } from "../../stacks/function-settings.js";
import { sstBuildOptions } from "../infra/support/sst-esbuild.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const ROLE = {
  AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE",
  AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  AWS_SESSION_TOKEN: "placeholder-session-token",
};

function setEnvironment(values: Partial<typeof ROLE>): void {
  for (const name of Object.keys(ROLE)) vi.stubEnv(name, undefined);
  for (const [name, value] of Object.entries(values)) vi.stubEnv(name, value);
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => "resolved",
    (error: unknown) => error,
  );
}

describe("the environment-only credential provider", () => {
  beforeEach(() => vi.spyOn(process.stdout, "write").mockImplementation(() => true));
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it("answers the role's key, secret and session token from the environment", async () => {
    setEnvironment(ROLE);
    expect(await defaultProvider()()).toMatchObject({
      accessKeyId: ROLE.AWS_ACCESS_KEY_ID,
      secretAccessKey: ROLE.AWS_SECRET_ACCESS_KEY,
      sessionToken: ROLE.AWS_SESSION_TOKEN,
    });
  });

  it("names both missing variables, never a value, when the environment has no credentials", async () => {
    setEnvironment({ AWS_SESSION_TOKEN: ROLE.AWS_SESSION_TOKEN });
    const error = await rejection(defaultProvider()());
    expect(error).toBeInstanceOf(CredentialsMissingError);
    expect(error instanceof CredentialsMissingError && [error.missing, error.message]).toEqual([
      ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"],
      "No AWS credentials in the environment: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY unset (Lambda sets them for its role)",
    ]);
  });

  it("names only the variable missing, and logs it by name", async () => {
    setEnvironment({ AWS_ACCESS_KEY_ID: ROLE.AWS_ACCESS_KEY_ID });
    const error = await rejection(defaultProvider()());
    expect(error instanceof CredentialsMissingError && error.missing).toEqual(["AWS_SECRET_ACCESS_KEY"]);
    const lines = vi.mocked(process.stdout.write).mock.calls.map(([line]) => String(line));
    expect(lines.filter((line) => line.includes("aws.credentials_missing"))).toEqual([
      expect.stringContaining('"variables":"AWS_SECRET_ACCESS_KEY"'),
    ]);
    expect(lines.join("")).not.toContain(ROLE.AWS_ACCESS_KEY_ID);
  });

  it("fits DynamoDBClient's credentialDefaultProvider: the client resolves the environment's credentials", async () => {
    setEnvironment(ROLE);
    const client = new DynamoDBClient({ region: "eu-central-1", credentialDefaultProvider: defaultProvider });
    try {
      expect(await client.config.credentials()).toMatchObject({ accessKeyId: ROLE.AWS_ACCESS_KEY_ID });
    } finally {
      client.destroy();
    }
  });
});

describe("the esbuild plugin that puts it in the bundles", () => {
  it("resolves the DynamoDB client's default chain to lambda-credentials.ts in a build as deployed", async () => {
    const options = await sstBuildOptions(`${ROOT}functions/adapters/dynamo-requests.ts`, "out.mjs", NODEJS_BUNDLING);
    const inputs = Object.keys((await build({ ...options, write: false })).metafile?.inputs ?? {});
    expect(inputs.filter((input) => input.includes("credential-provider-"))).toEqual([
      expect.stringMatching(/node_modules\/@aws-sdk\/credential-provider-env\/dist-es\/fromEnv\.js$/),
      expect.stringMatching(/node_modules\/@aws-sdk\/credential-provider-env\/dist-es\/index\.js$/),
    ]);
    expect(inputs).toContain("functions/adapters/lambda-credentials.ts");
  });

  it("registers a filter SST's bridge matches: the bridge tests it against an undefined path", async () => {
    // .sst/platform/functions/nodejs-runtime/plugin.mjs: `new RegExp(options.filter).test(msg.path)`, msg.path unset.
    const loaded: unknown = await import(pathToFileURL(`${ROOT}stacks/esbuild-plugins.mjs`).href);
    const plugins: unknown = typeof loaded === "object" && loaded !== null ? Reflect.get(loaded, "default") : [];
    const filters: RegExp[] = [];
    const resolvers: Array<(args: { path: string }) => unknown> = [];
    for (const plugin of Array.isArray(plugins) ? plugins : []) {
      const setup: unknown = Reflect.get(plugin, "setup");
      if (typeof setup !== "function") throw new Error("a plugin without setup()");
      setup({
        onResolve: (options: { filter: RegExp }, callback: (args: { path: string }) => unknown) => {
          filters.push(options.filter);
          resolvers.push(callback);
        },
      });
    }
    expect(filters.map((filter) => new RegExp(filter).test(String(undefined)))).toEqual([true]);
    expect(resolvers.map((resolve) => resolve({ path: "@aws-sdk/credential-provider-node" }))).toEqual([
      { path: `${ROOT}functions/adapters/lambda-credentials.ts` },
    ]);
    expect(resolvers.map((resolve) => resolve({ path: "@aws-sdk/client-dynamodb" }))).toEqual([undefined]);
  });
});
