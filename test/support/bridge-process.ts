// `npm start`'s entry point as a child process, for tests that must kill the bridge as a crash would (SIGKILL: no
// cleanup, no last write) and start it again on the same DATA_DIR.
import { type ChildProcess, spawn } from "node:child_process";

const ROOT = new URL("../../", import.meta.url).pathname;

export interface BridgeProcess {
  url: string;
  /** Resolves with the first match of `pattern` in everything the process printed so far or prints later. */
  printed(pattern: RegExp): Promise<RegExpExecArray>;
  /** SIGKILL, as a crash or an out-of-memory kill ends it. */
  kill(): Promise<void>;
  /** SIGTERM: the clean shutdown; resolves with the exit code. */
  stop(): Promise<number | null>;
}

export async function startBridgeProcess(env: Record<string, string>): Promise<BridgeProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "dev/start.ts"], {
    cwd: ROOT,
    env: { ...process.env, PORT: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const wake: Array<() => void> = [];
  const append = (chunk: Buffer): void => {
    output += chunk.toString();
    for (const resume of wake.splice(0)) resume();
  };
  child.stdout?.on("data", append);
  child.stderr?.on("data", append);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  let done = false;
  void exited.then(() => {
    done = true;
    for (const resume of wake.splice(0)) resume();
  });

  const printed = async (pattern: RegExp): Promise<RegExpExecArray> => {
    for (;;) {
      const match = pattern.exec(output);
      if (match) return match;
      if (done) throw new Error(`the bridge exited before printing ${pattern}:\n${output}`);
      await new Promise<void>((resume) => wake.push(resume));
    }
  };
  const [, url = ""] = await printed(/running on (http:\/\/127\.0\.0\.1:\d+)/);
  return {
    url,
    printed,
    kill: async () => {
      signal(child, "SIGKILL");
      await exited;
    },
    stop: async () => {
      signal(child, "SIGTERM");
      return exited;
    },
  };
}

function signal(child: ChildProcess, name: NodeJS.Signals): void {
  if (child.exitCode === null && child.signalCode === null) child.kill(name);
}
