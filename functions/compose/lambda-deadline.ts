// The Deadline of a Lambda instance: set from the context at the start of each invocation. Lambda runs one
// invocation at a time per instance, so the current one is the only one. A context without
// getRemainingTimeInMillis (the local server's, dev/lambda-context.ts) leaves every wait unbounded.
import type { Deadline } from "../core/deadline.js";
import { INVOCATION_RESERVE_MS } from "../time-budget.js";

export interface DeadlineContext {
  getRemainingTimeInMillis?: () => number;
}

export class LambdaDeadline implements Deadline {
  private endsAtMs: number | undefined;

  constructor(private readonly now: () => number = Date.now) {}

  begin(context: DeadlineContext): void {
    const remaining = typeof context.getRemainingTimeInMillis === "function" ? context.getRemainingTimeInMillis() : NaN;
    this.endsAtMs = Number.isFinite(remaining) ? this.now() + remaining - INVOCATION_RESERVE_MS : undefined;
  }

  remainingMs(): number | undefined {
    return this.endsAtMs === undefined ? undefined : Math.max(0, this.endsAtMs - this.now());
  }
}
