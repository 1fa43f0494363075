// `npm start`'s entry point as a person runs it: a fresh process prints where everything is, answers /health,
// and shuts down cleanly on SIGTERM.
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { buildOpenApi } from "../../dev/openapi/document.js";
import { startSandbox } from "../../dev/sandbox/server.js";

const ROOT = new URL("../../", import.meta.url).pathname;

describe("the local starter", () => {
  it("carries the whole loop on its own: a posted message reaches the sandbox, a CLI reply reaches the receiver, SIGTERM exits 0", async () => {
    const {
      child,
      exited,
      waitFor,
      output: printed,
      errors,
    } = startStarter({
      BRIDGE_API_KEY: "",
      CHATWOOT_BASE_URL: "",
      DELIVERY_URL: "",
    });
    const [, url] = await waitFor(/running on (http:\/\/127\.0\.0\.1:\d+)/);
    const [, sandboxUrl] = await waitFor(/chatwoot: built-in sandbox at (http:\/\/127\.0\.0\.1:\d+)/);
    const [, key] = await waitFor(/api key: {2}(\S{20,}) {3}\(generated for this run/);
    await waitFor(/npm run sandbox -- help/);
    const output = printed();
    expect(output).toMatch(/delivery: built-in receiver at http:\/\/127\.0\.0\.1:\d+\/deliveries/);
    expect(output).toContain(`curl -s -X POST ${url}/messages -H "authorization: Bearer ${key}"`);
    expect(output).toMatch(/ {2}secret: {3}whsec_[A-Za-z0-9+/=]{40,} {3}\(DELIVERY_SECRET of the built-in receiver\)/);
    expect(await (await fetch(`${url}/health`)).json()).toEqual({ ok: true });
    expect(output).toContain(`  console:  ${url}/console `);
    expect(await (await fetch(`${url}/openapi.json`)).json()).toEqual(buildOpenApi());
    expect((await fetch(`${url}/console`)).headers.get("content-type")).toBe("text/html; charset=utf-8");

    const posted = await fetch(`${url}/messages`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ user_id: "u-42", message_id: "m-1", content: "Hello" }),
    });
    expect(posted.status).toBe(201);
    const { conversation_id: conversationId } = (await posted.json()) as { conversation_id: number };
    const cli = spawn(
      process.execPath,
      ["--import", "tsx", "dev/sandbox/cli.ts", "reply", String(conversationId), "Hi, how can I help?"],
      {
        cwd: ROOT,
        env: { ...process.env, SANDBOX_URL: sandboxUrl },
        stdio: "ignore",
      },
    );
    expect(await new Promise((resolve) => cli.once("exit", resolve))).toBe(0);
    await waitFor(
      new RegExp(
        `receiver: message\\.created user=u-42 conversation=${conversationId} webhook-id=msg_\\d+ "Hi, how can I help\\?"`,
      ),
    );

    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(printed()).toContain("SIGTERM: shutting down");
    // On Node 22 (the node devDependency) the AWS SDK has nothing to warn about: a fresh start is quiet.
    expect(errors()).toBe("");
  });

  it("names a mistyped variable and a refused Chatwoot token before 'running', and the client's error names the token", async () => {
    const chatwoot = await startSandbox({ port: 0 });
    onTestFinished(() => chatwoot.close());
    const started = startStarter({
      BRIDGE_API_KEY: "start-test-key-0123456789",
      CHATWOOT_BASE_URL: chatwoot.url,
      CHATWOOT_BASEURL: "http://typo.example.com",
      CHATWOOT_ACCOUNT_ID: String(chatwoot.accountId),
      CHATWOOT_INBOX_ID: String(chatwoot.inboxId),
      CHATWOOT_API_TOKEN: "wrong-token",
      CHATWOOT_WEBHOOK_SECRET: chatwoot.webhookSecret ?? "",
      DELIVERY_URL: "",
    });
    await started.waitFor(/"content":"Hello"\}'\n/);
    const output = started.output();
    const running = output.indexOf("chatwoot-bridge is running on");
    const typo = output.indexOf("warning: CHATWOOT_BASEURL is not a variable the bridge knows (a typo?)");
    const token = output.indexOf("warning: Chatwoot refused CHATWOOT_API_TOKEN (401)");
    expect(typo).toBeGreaterThan(-1);
    expect(token).toBeGreaterThan(-1);
    expect(running).toBeGreaterThan(Math.max(typo, token));
    expect(output).toContain(`  chatwoot: ${chatwoot.url}/\n`);
    expect(output).toContain('-H "authorization: Bearer $BRIDGE_API_KEY"');

    const url = /running on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
    const posted = await fetch(`${url}/messages`, {
      method: "POST",
      headers: { authorization: "Bearer start-test-key-0123456789", "content-type": "application/json" },
      body: JSON.stringify({ user_id: "u-42", message_id: "m-1", content: "Hello" }),
    });
    expect(posted.status).toBe(502);
    expect(await posted.json()).toEqual({
      error: {
        code: "chatwoot_error",
        message: "Chatwoot refused the bridge's CHATWOOT_API_TOKEN (401) (create contact)",
      },
    });
  });

  it("refuses a malformed configuration with one message naming every bad variable", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "dev/start.ts"], {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: "0",
        DATA_DIR: mkdtempSync(join(tmpdir(), "cwb-start-")),
        CONVERSATION_AFTER_RESOLVED: "sometimes",
        DELIVERY_RETRY_SCHEDULE: "5 seconds",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let errors = "";
    child.stderr.on("data", (chunk: Buffer) => (errors += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once("exit", (c) => resolve(c)));
    expect(code).toBe(1);
    expect(errors).toContain("Invalid configuration:");
    expect(errors).toContain("DELIVERY_RETRY_SCHEDULE must be a comma-separated list of durations");
    expect(errors).toContain("CONVERSATION_AFTER_RESOLVED must be new or reopen");
  });
});

/** `npm start`'s entry in a child process; waitFor() resolves when its stdout matches, and fails if it exits first. */
function startStarter(env: Record<string, string>) {
  const child = spawn(process.execPath, ["--import", "tsx", "dev/start.ts"], {
    cwd: ROOT,
    env: { ...process.env, PORT: "0", DATA_DIR: mkdtempSync(join(tmpdir(), "cwb-start-")), ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  onTestFinished(() => void child.kill());
  let output = "";
  let errors = "";
  const waiters: Array<() => void> = [];
  child.stdout.on("data", (chunk: Buffer) => {
    output += chunk.toString();
    for (const wake of waiters.splice(0)) wake();
  });
  child.stderr.on("data", (chunk: Buffer) => (errors += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const waitFor = async (pattern: RegExp): Promise<RegExpExecArray> => {
    for (;;) {
      const match = pattern.exec(output);
      if (match) return match;
      const woke = new Promise<"data">((resolve) => waiters.push(() => resolve("data")));
      if ((await Promise.race([woke, exited])) !== "data")
        throw new Error(`exited before printing ${pattern}:\n${output}\n${errors}`);
    }
  };
  return { child, exited, waitFor, output: () => output, errors: () => errors };
}
