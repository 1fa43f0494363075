// The mocked deploy of the real sst.config.ts for these inputs, as the stack service (stack-service.ts, started by
// vitest's globalSetup) ran it once for the whole test run: every file asking for the same inputs reads one run.
import { inject } from "vitest";
import { isStackRun, type StackRun, type StackRunOptions } from "./stack-run.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** The stack service's URL on 127.0.0.1. */
    stackService: string;
  }
}

export async function stackRunFor(options: StackRunOptions): Promise<StackRun> {
  const response = await fetch(inject("stackService"), { method: "POST", body: JSON.stringify(options) });
  if (!response.ok) throw new Error(`The mocked deploy failed: ${await response.text()}`);
  const run: unknown = await response.json();
  if (!isStackRun(run)) throw new Error("The stack service answered something that is not a stack run");
  return run;
}
