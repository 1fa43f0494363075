// The README's receiver examples (examples/receiver.ts, examples/receiver.py, standard library only) run as
// people run them and receive real deliveries from a local bridge: the agent's reply is verified and printed,
// a forged delivery is refused with 401.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { describe, expect, it, onTestFinished } from "vitest";
import { startTestBridge } from "../support/bridge.js";

const ROOT = new URL("../../", import.meta.url).pathname;

describe.each([
  ["TypeScript", process.execPath, ["--import", "tsx", "examples/receiver.ts"]],
  ["Python", "python3", ["examples/receiver.py"]],
])("the %s receiver example", (_language, command, args) => {
  it("verifies and prints a real delivery of the agent's reply, and refuses a forged one", async () => {
    const secret = `whsec_${randomBytes(32).toString("base64")}`;
    const child = spawn(command, args, {
      cwd: ROOT,
      env: { ...process.env, PORT: "0", DELIVERY_SECRET: secret },
      stdio: ["ignore", "pipe", "inherit"],
    });
    onTestFinished(() => void child.kill());
    let output = "";
    const waiters: Array<() => void> = [];
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      for (const wake of waiters.splice(0)) wake();
    });
    const waitFor = async (pattern: RegExp): Promise<RegExpExecArray> => {
      for (;;) {
        const match = pattern.exec(output);
        if (match) return match;
        await new Promise<void>((resolve) => waiters.push(resolve));
      }
    };
    const [, port] = await waitFor(/listening on (\d+)/);
    const t = await startTestBridge({ DELIVERY_URL: `http://127.0.0.1:${port}/`, DELIVERY_SECRET: secret });
    onTestFinished(() => t.close());

    const posted = await t.api("POST", "/messages", { user_id: "u-42", message_id: "m-1", content: "Hello" });
    const conversationId = (posted.body as { conversation_id: number }).conversation_id;
    const reply = t.bridge.sandbox?.reply(conversationId, "Hi Ada, ça va?");
    await waitFor(new RegExp(`verified msg_${reply?.id} message.created user=u-42 text="Hi Ada, ça va\\?"\\n`));

    const forged = await fetch(`http://127.0.0.1:${port}/`, {
      method: "POST",
      headers: {
        "webhook-id": "msg_1",
        "webhook-timestamp": String(Math.floor(Date.now() / 1000)),
        "webhook-signature": "v1,bm9wZQ==",
      },
      body: '{"type":"message.created","data":{"user_id":"u-42"}}',
    });
    expect(forged.status).toBe(401);
    await waitFor(/refused: bad signature\n/);
    expect(output.match(/^verified /gm)).toHaveLength(1);
  });
});
