// Fault injection per route (an error status, added latency, or "store it, then hang"), for the next
// N calls or with a probability, plus per-route call counters and time spent in handlers.
import { STATUS_CODES } from "node:http";
import type { Reply } from "./http.js";

export type FaultKind = "error" | "latency" | "hang";

export interface FaultSpec {
  /** A route key (see README: "POST /conversations/:id/messages") or "*" for every API route. */
  route: string;
  kind: FaultKind;
  /** error: the status to answer, before anything is processed (default 500). */
  status?: number;
  /** error: a JSON body instead of Chatwoot's usual one for that status. */
  body?: unknown;
  /** latency: added before processing. hang: delay after processing; omitted = never answer. */
  delayMs?: number;
  /** Only the next N matching calls (default: every call until cleared). */
  times?: number;
  /** Chance per matching call, 0..1 (default 1). */
  probability?: number;
}

export interface Fault extends FaultSpec {
  id: number;
  /** How many calls it has hit so far. */
  hits: number;
}

export interface FaultPlan {
  error?: Reply;
  latencyMs: number;
  /** Set when the response must wait after processing: a delay, or null for "never". */
  hangMs?: number | null;
}

/** The body Chatwoot (or the proxy before it) gives for a status, for error faults without `body`. */
export function defaultErrorReply(status: number): Reply {
  if (status === 429) return { status, text: "Retry later\n" };
  if (status === 502 || status === 503 || status === 504)
    return { status, text: `${status} ${STATUS_CODES[status] ?? ""}\n` };
  if (status === 404) return { status, body: { error: "Resource could not be found" } };
  if (status === 401) return { status, body: { error: "Invalid Access Token" } };
  if (status === 422) return { status, body: { error: "Validation failed" } };
  return { status, body: { status, error: STATUS_CODES[status] ?? "Error" } };
}

export function validateFaultSpec(spec: FaultSpec): string | undefined {
  if (!["error", "latency", "hang"].includes(spec.kind)) return "kind must be error, latency or hang";
  if (typeof spec.route !== "string" || spec.route === "") return "route is required";
  if (spec.status !== undefined && (!Number.isInteger(spec.status) || spec.status < 100 || spec.status > 599))
    return "status must be 100-599";
  if (spec.delayMs !== undefined && !(spec.delayMs >= 0)) return "delayMs must be >= 0";
  if (spec.times !== undefined && !(Number.isInteger(spec.times) && spec.times > 0))
    return "times must be a positive integer";
  if (spec.probability !== undefined && !(spec.probability >= 0 && spec.probability <= 1))
    return "probability must be within 0..1";
  return undefined;
}

export class Faults {
  private rules: Fault[] = [];
  private nextId = 1;

  constructor(private readonly random: () => number = Math.random) {}

  add(spec: FaultSpec): Fault {
    const problem = validateFaultSpec(spec);
    if (problem !== undefined) throw new Error(`invalid fault: ${problem}`);
    const fault: Fault = { ...spec, id: this.nextId++, hits: 0 };
    this.rules.push(fault);
    return { ...fault };
  }

  list(): Fault[] {
    return this.rules.map((fault) => ({ ...fault }));
  }

  clear(id?: number): void {
    this.rules = id === undefined ? [] : this.rules.filter((fault) => fault.id !== id);
  }

  /** Decides this call's faults, consuming `times` of those that fire. */
  plan(routeKey: string): FaultPlan {
    const plan: FaultPlan = { latencyMs: 0 };
    for (const fault of this.rules) {
      if (fault.route !== "*" && fault.route !== routeKey) continue;
      if (fault.kind === "error" && plan.error !== undefined) continue;
      if (this.random() >= (fault.probability ?? 1)) continue;
      fault.hits += 1;
      if (fault.kind === "error") {
        const status = fault.status ?? 500;
        plan.error = fault.body === undefined ? defaultErrorReply(status) : { status, body: fault.body };
      } else if (fault.kind === "latency") {
        plan.latencyMs += fault.delayMs ?? 0;
      } else {
        plan.hangMs = fault.delayMs ?? null;
      }
    }
    this.rules = this.rules.filter((fault) => fault.times === undefined || fault.hits < fault.times);
    return plan;
  }
}

/** Per-route call counters and the time spent inside handlers (excluding injected delays). */
export class CallStats {
  private counts = new Map<string, number>();
  private handlerMicros = 0;

  record(routeKey: string): void {
    this.counts.set(routeKey, (this.counts.get(routeKey) ?? 0) + 1);
  }

  addHandlerTime(ms: number): void {
    this.handlerMicros += Math.round(ms * 1000);
  }

  calls(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }

  handlerMs(): number {
    return this.handlerMicros / 1000;
  }

  reset(): void {
    this.counts = new Map();
    this.handlerMicros = 0;
  }
}
