// The catch-up sweep in the local runtime (spec §7): the same route as the scheduled Lambda, run every SWEEP_INTERVAL
// inside `npm start`, and once on demand through POST /_local/sweep (what `npm run sweep` calls), so no second
// process ever opens the embedded store. Runs never overlap: each waits for the one before it.
import { randomUUID } from "node:crypto";
import type { SweepResult } from "../functions/core/sweep.js";
import { withLogFields } from "../functions/log.js";
import { sendJson } from "./console/pages.js";
import type { LocalPages } from "./server.js";

export const SWEEP_CONTROL_PATH = "/_local/sweep";

export interface LocalSweep {
  /** One run, after any run in progress. */
  runOnce(): Promise<SweepResult>;
  close(): void;
}

export function startLocalSweep(route: () => Promise<SweepResult>, intervalMs: number): LocalSweep {
  let last: Promise<unknown> = Promise.resolve();
  const runOnce = (): Promise<SweepResult> => {
    // Each run is an invocation: its log lines carry a request id of their own, as in Lambda.
    const run = last.then(() => withLogFields({ aws_request_id: randomUUID() }, route));
    last = run.catch(() => undefined);
    return run;
  };
  // A failed run is logged by the route (sweep.failed); the timer simply tries again at the next interval.
  const timer = setInterval(() => void runOnce().catch(() => undefined), intervalMs);
  timer.unref();
  return { runOnce, close: () => clearInterval(timer) };
}

/** POST /_local/sweep: one run now; answers what it did. Local only: no Lambda serves it. */
export function sweepControl(sweep: LocalSweep): LocalPages {
  return (req, res) => {
    if (new URL(req.url ?? "/", "http://local").pathname !== SWEEP_CONTROL_PATH) return false;
    if (req.method !== "POST") {
      sendJson(res, 405, { error: { code: "method_not_allowed", message: `Use POST ${SWEEP_CONTROL_PATH}` } });
      return true;
    }
    sweep
      .runOnce()
      .then(({ passComplete, ...counts }) => sendJson(res, 200, { sweep: { ...counts, pass_complete: passComplete } }))
      .catch(() =>
        sendJson(res, 502, {
          error: { code: "sweep_failed", message: "The sweep failed; the log's sweep.failed line says why" },
        }),
      );
    return true;
  };
}
