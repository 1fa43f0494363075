// `npm start` reads .env with Node's own process.loadEnvFile, and the real environment wins over the file.
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";

const START = new URL("../../dev/start.ts", import.meta.url).pathname;
const TSX = new URL("../../node_modules/tsx/dist/loader.mjs", import.meta.url).href;

describe("the local starter's .env", () => {
  it("reads variables from ./.env, but a variable the environment already has keeps its value", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "cwb-dotenv-"));
    writeFileSync(
      join(cwd, ".env"),
      [
        "# both values are malformed on purpose",
        "CONVERSATION_AFTER_RESOLVED=sometimes",
        "DELIVERY_RETRY_SCHEDULE=5 seconds",
      ].join("\n"),
    );
    const child = spawn(process.execPath, ["--import", TSX, START], {
      cwd,
      env: { ...process.env, PORT: "0", DATA_DIR: join(cwd, "data"), DELIVERY_RETRY_SCHEDULE: "5s" },
      stdio: ["ignore", "ignore", "pipe"],
    });
    // Should the starter not refuse (the file unread), it would keep running: never leave it behind.
    onTestFinished(() => void child.kill());
    let errors = "";
    child.stderr.on("data", (chunk: Buffer) => (errors += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once("exit", (c) => resolve(c)));
    expect(code).toBe(1);
    expect(errors).toContain("CONVERSATION_AFTER_RESOLVED must be new or reopen");
    expect(errors).not.toContain("DELIVERY_RETRY_SCHEDULE");
  });
});
