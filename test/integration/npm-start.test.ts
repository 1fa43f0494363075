// `npm start`'s entry point as a person runs it: a fresh process prints where everything is, answers /health,
// and shuts down cleanly on SIGTERM.
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = new URL("../../", import.meta.url).pathname;

describe("the local starter", () => {
  it("starts the bridge with sandbox and receiver on a fresh data dir, answers /health, and exits 0 on SIGTERM", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "dev/start.ts"], {
      cwd: ROOT,
      env: { ...process.env, PORT: "0", DATA_DIR: mkdtempSync(join(tmpdir(), "cwb-start-")), BRIDGE_API_KEY: "", CHATWOOT_BASE_URL: "", DELIVERY_URL: "" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on("data", (chunk: Buffer) => {
        output += chunk.toString();
        const match = /running on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
        if (match?.[1] && output.includes("npm run sandbox")) resolve(match[1]);
      });
      child.once("exit", (code) => reject(new Error(`exited early with ${code}`)));
    });
    expect(output).toMatch(/chatwoot: built-in sandbox at http:\/\/127\.0\.0\.1:\d+/);
    expect(output).toMatch(/delivery: built-in receiver at http:\/\/127\.0\.0\.1:\d+\/deliveries/);
    expect(output).toMatch(/api key: {2}\S{20,} {3}\(generated for this run/);
    expect(output).toContain(`curl -s -X POST ${url}/messages`);
    const health = await fetch(`${url}/health`);
    expect(await health.json()).toEqual({ ok: true });

    const exit = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    child.kill("SIGTERM");
    expect(await exit).toBe(0);
    expect(output).toContain("SIGTERM: shutting down");
  });

  it("refuses a malformed configuration with one message naming every bad variable", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "dev/start.ts"], {
      cwd: ROOT,
      env: { ...process.env, PORT: "0", DATA_DIR: mkdtempSync(join(tmpdir(), "cwb-start-")), CONVERSATION_AFTER_RESOLVED: "sometimes", DELIVERY_RETRY_SCHEDULE: "5 seconds" },
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
