// A Lambda cold start, offline: a fresh node process in the function's package directory with the function's
// environment (SST_KEY, SST_KEY_FILE, the deploy settings), importing the very bundle the build made and
// invoking its `handler` once. What SST's Resource decrypts and compose/config-source.ts reads is then what AWS would see.
import { execFile } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { BuildRecord } from "./fake-cli.js";

export interface Invocation {
  /** The handler's answer, or undefined when it threw. */
  result: unknown;
  /** The error's message when the handler threw. */
  error: string | undefined;
  /** Everything the function wrote (its log lines). */
  stdout: string;
}

const INVOKE = [
  `import { writeFileSync } from "node:fs";`,
  `const { handler } = await import(process.env.COLD_START_HANDLER);`,
  `const context = { awsRequestId: "cold-start", functionName: process.env.AWS_LAMBDA_FUNCTION_NAME, getRemainingTimeInMillis: () => 10000 };`,
  `let outcome;`,
  `try { outcome = { result: await handler(JSON.parse(process.env.COLD_START_EVENT), context) }; }`,
  `catch (error) { outcome = { error: error instanceof Error ? error.message : String(error) }; }`,
  `writeFileSync(process.env.COLD_START_RESULT, JSON.stringify(outcome));`,
].join("\n");

export function invokeColdStart(
  build: BuildRecord,
  environment: Record<string, string>,
  event: unknown,
): Promise<Invocation> {
  const resultFile = join(build.out, "cold-start-result.json");
  const env = {
    PATH: process.env.PATH ?? "",
    ...environment,
    AWS_REGION: "eu-central-1",
    AWS_LAMBDA_FUNCTION_NAME: build.functionID,
    COLD_START_HANDLER: join(build.out, build.bundle),
    COLD_START_EVENT: JSON.stringify(event),
    COLD_START_RESULT: resultFile,
  };
  return new Promise((resolve) => {
    // A guard against a hung handler, not an assertion.
    execFile(
      process.execPath,
      ["--input-type=module", "-e", INVOKE],
      { cwd: build.out, env, timeout: 30_000 },
      (_error, stdout, stderr) => {
        const parsed: unknown = existsSync(resultFile)
          ? JSON.parse(readFileSync(resultFile, "utf8"))
          : { error: `no result: ${stderr}` };
        rmSync(resultFile, { force: true });
        const outcome = typeof parsed === "object" && parsed !== null ? parsed : {};
        const error = Reflect.get(outcome, "error");
        resolve({
          result: Reflect.get(outcome, "result"),
          error: typeof error === "string" ? error : undefined,
          stdout,
        });
      },
    );
  });
}

/** An API Gateway HTTP API (payload 2.0) request, without credentials unless a bearer key is given. */
export function httpEvent(
  method: string,
  path: string,
  routeKey: string,
  options: { bearer?: string; pathParameters?: Record<string, string> } = {},
): unknown {
  return {
    version: "2.0",
    routeKey,
    rawPath: path,
    rawQueryString: "",
    headers: {
      "content-type": "application/json",
      host: "abc123.execute-api.eu-central-1.amazonaws.com",
      ...(options.bearer ? { authorization: `Bearer ${options.bearer}` } : {}),
    },
    ...(options.pathParameters ? { pathParameters: options.pathParameters } : {}),
    requestContext: {
      requestId: "cold-start",
      routeKey,
      http: { method, path, protocol: "HTTP/1.1", sourceIp: "192.0.2.1", userAgent: "infra-test" },
    },
    body: method === "GET" ? undefined : "{}",
    isBase64Encoded: false,
  };
}
