// The sweep in the local runtime: `npm run sweep` asks the running bridge to run it once (POST /_local/sweep, never
// a second process on the embedded store) and prints what it did; a second run finds nothing changed. Log lines of
// the local server's requests and of each sweep run carry a request id, as in Lambda.
import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TestBridge, sandboxOf, startTestBridge } from "../support/bridge.js";

const ROOT = new URL("../../", import.meta.url).pathname;

let t: TestBridge;
beforeAll(async () => {
  t = await startTestBridge();
});
afterAll(async () => t?.close());

/** `npm run sweep`'s script against this bridge's port; resolves with its exit code and what it printed. */
function npmRunSweep(port: string): Promise<{ code: number | null; stdout: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", "dev/sweep-once.ts"], {
    cwd: ROOT,
    env: { ...process.env, PORT: port, HOST: "127.0.0.1" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let stdout = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  return new Promise((resolve) => child.once("exit", (code) => resolve({ code, stdout })));
}

const lines = () =>
  t.logLines.filter((l) => !l.startsWith('{"_aws"')).map((l) => JSON.parse(l) as Record<string, unknown>);

describe("the local sweep", () => {
  it("runs once on `npm run sweep`, signalling the user's updated conversation, then finds it unchanged", async () => {
    const posted = await t.api("POST", "/messages", { user_id: "u-sweep", message_id: "m-1", content: "Hello" });
    expect(posted.status).toBe(201);
    const port = new URL(t.bridge.url).port;
    const first = await npmRunSweep(port);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toEqual({
      sweep: { listed: 1, signalled: 1, unchanged: 0, unowned: 0, pass_complete: true },
    });
    const second = await t.bridge.sweep.runOnce();
    expect(second).toEqual({ listed: 1, signalled: 0, unchanged: 1, unowned: 0, passComplete: true });
    expect(sandboxOf(t).conversations()).toHaveLength(1);
    const completed = lines().filter((l) => l.event === "sweep.completed");
    expect(completed).toHaveLength(2);
    expect(new Set(completed.map((l) => l.aws_request_id)).size).toBe(2);
  });

  it("refuses anything but POST on the control route, and names the method to use", async () => {
    const answer = await fetch(`${t.bridge.url}/_local/sweep`);
    expect([answer.status, await answer.json()]).toEqual([
      405,
      { error: { code: "method_not_allowed", message: "Use POST /_local/sweep" } },
    ]);
  });

  it("puts the local server's request id on every line of a request, as aws_request_id", async () => {
    const routeLines = lines().filter((l) => l.route === "POST /messages");
    expect(routeLines.length).toBeGreaterThan(0);
    for (const line of routeLines) expect(line.aws_request_id).toBe(line.request_id);
  });

  it("tells the person to start the bridge when none answers", async () => {
    const { code } = await npmRunSweep("1");
    expect(code).toBe(1);
  });
});
