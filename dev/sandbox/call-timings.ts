// Per-call timing records: how long each Application API call spent inside the sandbox (body read, injected
// latency, handler, answer written), so a benchmark can subtract Chatwoot's share from its own round trips.
import type { IncomingMessage, ServerResponse } from "node:http";

/** A client may label its calls with this header; Chatwoot ignores unknown headers, the sandbox records it. */
export const TAG_HEADER = "x-sandbox-tag";
/** A sandbox left running with `npm start` must not grow without bound: past this, the older half is dropped. */
const MAX_RECORDS = 100_000;

export interface CallTiming {
  /** The route key, as in calls(). */
  route: string;
  /** performance.now() (of the sandbox's process) when the request reached the sandbox. */
  startedAt: number;
  /** Until the answer was handed to the socket: injected latency and "hang" delays included. */
  ms: number;
  /** The request's x-sandbox-tag header, when sent. */
  tag?: string;
}

export class CallTimings {
  private records: CallTiming[] = [];

  /** Records the call once its answer is written; a call held forever (a "hang" fault) is never recorded. */
  track(route: string, startedAt: number, req: IncomingMessage, res: ServerResponse): void {
    const header = req.headers[TAG_HEADER];
    const tag = Array.isArray(header) ? header[0] : header;
    res.once("finish", () => {
      if (this.records.length >= MAX_RECORDS) this.records = this.records.slice(MAX_RECORDS / 2);
      this.records.push({ route, startedAt, ms: performance.now() - startedAt, ...(tag ? { tag } : {}) });
    });
  }

  list(): CallTiming[] {
    return this.records.map((record) => ({ ...record }));
  }

  reset(): void {
    this.records = [];
  }
}
