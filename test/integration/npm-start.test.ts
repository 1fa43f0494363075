// `npm start`'s entry point as a person runs it: a fresh process prints where everything is, answers /health,
// and shuts down cleanly on SIGTERM.
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = new URL("../../", import.meta.url).pathname;

describe("the local starter", () => {
  it("carries the whole loop on its own: a posted message reaches the sandbox, a CLI reply reaches the receiver, SIGTERM exits 0", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "dev/start.ts"], {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: "0",
        DATA_DIR: mkdtempSync(join(tmpdir(), "cwb-start-")),
        BRIDGE_API_KEY: "",
        CHATWOOT_BASE_URL: "",
        DELIVERY_URL: "",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    const waiters: Array<() => void> = [];
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      for (const wake of waiters.splice(0)) wake();
    });
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    const waitFor = async (pattern: RegExp): Promise<RegExpExecArray> => {
      for (;;) {
        const match = pattern.exec(output);
        if (match) return match;
        const woke = new Promise<"data">((resolve) => waiters.push(() => resolve("data")));
        if ((await Promise.race([woke, exited])) !== "data")
          throw new Error(`exited before printing ${pattern}:\n${output}`);
      }
    };
    const [, url] = await waitFor(/running on (http:\/\/127\.0\.0\.1:\d+)/);
    const [, sandboxUrl] = await waitFor(/chatwoot: built-in sandbox at (http:\/\/127\.0\.0\.1:\d+)/);
    const [, key] = await waitFor(/api key: {2}(\S{20,}) {3}\(generated for this run/);
    await waitFor(/npm run sandbox -- help/);
    expect(output).toMatch(/delivery: built-in receiver at http:\/\/127\.0\.0\.1:\d+\/deliveries/);
    expect(output).toContain(`curl -s -X POST ${url}/messages`);
    expect(await (await fetch(`${url}/health`)).json()).toEqual({ ok: true });

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
    await waitFor(new RegExp(`receiver: message\\.created webhook-id=msg_\\d+ conversation=${conversationId}`));

    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(output).toContain("SIGTERM: shutting down");
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
