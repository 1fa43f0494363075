// The bundles as the typical deploy built them (NODEJS_BUNDLING with its esbuild plugin): no default credential
// chain, Node's fetch (undici) not loaded at import, and DynamoDB reached with the credentials Lambda puts in the
// environment (functions/adapters/lambda-credentials.ts).
import { execFile } from "node:child_process";
import type { Server } from "node:http";
import { join } from "node:path";
import { promisify } from "node:util";
import dynalite from "dynalite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureTable } from "../../dev/local-table.js";
import { routes } from "../../stacks/routes.js";
import { invokeColdStart, httpEvent } from "./support/cold-start.js";
import type { BuildRecord } from "./support/fake-cli.js";
import { stackRunFor } from "./support/shared-stack.js";
import { SECRETS, TYPICAL_DEPLOY, field, resource } from "./support/stack-queries.js";

const INBOUND = ["ContactsPost", "ContactsGet", "ConversationsPost", "MessagesPost", "EventsPost"];
/** The default chain's parts that Lambda never runs; a DynamoDB function's bundle must hold none of them. */
const DEFAULT_CHAIN = [
  "@aws-sdk/credential-provider-node",
  "@aws-sdk/credential-provider-ini",
  "@aws-sdk/credential-provider-sso",
  "@aws-sdk/nested-clients",
];
/** Placeholders in AWS's documented format (https://docs.aws.amazon.com/IAM/latest/UserGuide/security-creds.html). */
const ROLE_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE",
  AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  AWS_SESSION_TOKEN: "placeholder-session-token",
};

/** Imports a bundle in a fresh node and lists the built-in modules it loaded whose name holds `undici`. */
const LOADED_UNDICI = [
  "const module = await import(process.argv[1]);",
  'if (typeof module.handler !== "function") throw new Error("no handler export");',
  "process.stdout.write(JSON.stringify(process.moduleLoadList.filter((name) => name.includes('undici'))));",
].join("\n");

const builds = new Map<string, BuildRecord>();
const environments = new Map<string, Record<string, string>>();
beforeAll(async () => {
  const run = await stackRunFor(TYPICAL_DEPLOY);
  for (const build of run.builds) {
    builds.set(build.functionID, build);
    const variables = field(
      resource(run, "aws:lambda/function:Function", `${build.functionID}Function`),
      "environment",
      "variables",
    );
    const entries = Object.entries(typeof variables === "object" && variables ? variables : {});
    environments.set(build.functionID, Object.fromEntries(entries.map(([k, v]) => [k, String(v)])));
  }
}, 120_000);

function buildOf(name: string): BuildRecord {
  const build = builds.get(name);
  if (!build) throw new Error(`the typical deploy built no ${name}`);
  return build;
}

async function undiciLoadedBy(file: string): Promise<string[]> {
  const { stdout } = await promisify(execFile)(process.execPath, ["--input-type=module", "-e", LOADED_UNDICI, file], {
    // Outside the repository: a package the bundle did not hold would fail to load, as in Lambda.
    cwd: join(file, ".."),
  });
  const loaded: unknown = JSON.parse(stdout);
  return Array.isArray(loaded) ? loaded.map(String) : [];
}

describe("a deployed DynamoDB function's bundle", () => {
  it("holds the environment's credential provider and none of the default chain", () => {
    const table = routes.filter((r) => r.uses.includes("table")).map((r) => r.name);
    for (const name of [...table, "DeliveryWorker"]) {
      const packages = buildOf(name).packages;
      expect(packages, name).toContain("@aws-sdk/client-dynamodb");
      expect(packages, name).toContain("@aws-sdk/credential-provider-env");
      expect(
        packages.filter((p) => DEFAULT_CHAIN.includes(p)),
        name,
      ).toEqual([]);
    }
  });

  it("leaves Node's fetch (undici) unloaded at import, for the inbound routes: it loads at the first Chatwoot call", async () => {
    for (const name of INBOUND) {
      const build = buildOf(name);
      expect(await undiciLoadedBy(join(build.out, build.bundle)), name).toEqual([]);
    }
  });
});

describe("a cold start of GET /contacts/{user_id} against DynamoDB", () => {
  let store: Server;
  let endpoint: string;
  const authorizations: string[] = [];

  beforeAll(async () => {
    store = dynalite({ createTableMs: 0 });
    // Only the signature's credential scope is kept: it names the access key the request was signed with.
    store.prependListener("request", (request) => {
      const credential = /Credential=([^/]+)\//.exec(String(request.headers.authorization ?? ""))?.[1];
      if (credential) authorizations.push(credential);
    });
    await new Promise<void>((resolve) => store.listen(0, "127.0.0.1", resolve));
    const address = store.address();
    endpoint = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
    await ensureTable(new URL(endpoint), contactsGetEnvironment().BRIDGE_TABLE_NAME ?? "");
    authorizations.length = 0;
  });

  afterAll(async () => {
    await new Promise((resolve) => store.close(resolve));
  });

  function contactsGetEnvironment(): Record<string, string> {
    return environments.get("ContactsGet") ?? {};
  }

  /** The deployed function's environment, with DynamoDB's endpoint (an SDK setting, not ours) on the local store. */
  function coldStart(credentials: Record<string, string>) {
    const event = httpEvent("GET", "/contacts/u-42", "GET /contacts/{user_id}", {
      bearer: SECRETS.BridgeApiKey,
      pathParameters: { user_id: "u-42" },
    });
    const environment = { ...contactsGetEnvironment(), ...credentials, AWS_ENDPOINT_URL_DYNAMODB: endpoint };
    return invokeColdStart(buildOf("ContactsGet"), environment, event);
  }

  it("reads the table signed with the role's credentials from the environment: an unknown user is 404", async () => {
    const started = await coldStart(ROLE_CREDENTIALS);
    expect(started.error).toBeUndefined();
    expect([
      field(started.result, "statusCode"),
      field(JSON.parse(String(field(started.result, "body"))), "error", "code"),
    ]).toEqual([404, "not_found"]);
    expect(authorizations).toEqual([ROLE_CREDENTIALS.AWS_ACCESS_KEY_ID]);
  });

  it("without credentials in the environment, reaches no store and names the missing variables in its log", async () => {
    authorizations.length = 0;
    const started = await coldStart({});
    expect(field(started.result, "statusCode")).toBe(500);
    expect(authorizations).toEqual([]);
    expect(started.stdout).toContain('"event":"aws.credentials_missing"');
    expect(started.stdout).toContain('"variables":"AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY"');
    expect(started.stdout).toContain('"error_code":"CredentialsMissingError"');
  });
});
