// The end of the running invocation: every wait (a Chatwoot call, a download, waiting for another request's work)
// ends before it (issue 12), so no request outlives the function that makes it (spec §2 CHATWOOT_TIMEOUT_MS).

export interface Deadline {
  /** Milliseconds this invocation may still spend waiting, its closing reserve kept; undefined when unbounded. */
  remainingMs(): number | undefined;
}

/** Where the runtime names no end (the local server, tests): each wait keeps only its own timeout. */
export const unbounded: Deadline = Object.freeze({ remainingMs: () => undefined });

/** `ownMs`, or less when the invocation ends sooner (never below 0). */
export function boundedMs(deadline: Deadline | undefined, ownMs: number): number {
  const remaining = deadline?.remainingMs();
  return remaining === undefined ? ownMs : Math.max(0, Math.min(ownMs, remaining));
}
