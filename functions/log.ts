// The only writer of log lines: one JSON object per line. Fields are scalars only, so a request,
// payload or library error cannot be logged by accident (no content, tokens or pubsub_token).
// Every line written inside an invocation carries that invocation's fields (Lambda request id, cold start).
import { AsyncLocalStorage } from "node:async_hooks";

export type LogValue = string | number | boolean | null | undefined;
export type LogFields = Record<string, LogValue>;
type Level = "debug" | "info" | "warn" | "error";

export interface Logger {
  debug(event: string, fields?: LogFields): void;
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
  /** A logger that adds `fields` (request id, route) to every line. */
  child(fields: LogFields): Logger;
  /** Where lines go: metrics (functions/metrics.ts) write their lines beside the log's. */
  readonly sink: LogSink;
}

export type LogSink = (line: string) => void;

/**
 * The fields of the invocation running in this async context. Scoped per invocation by Node, not shared between
 * requests: deps (and their loggers) are built once per cold start, the request id is known only per invocation.
 */
const invocation = new AsyncLocalStorage<LogFields>();

/** Runs `work` with `fields` (aws_request_id, cold_start) on every log line it writes, however deep. */
export function withLogFields<T>(fields: LogFields, work: () => T): T {
  return invocation.run({ ...invocation.getStore(), ...fields }, work);
}

const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export function createLogger(
  base: LogFields = {},
  sink: LogSink = (line) => process.stdout.write(`${line}\n`),
  minLevel: Level = (process.env.LOG_LEVEL as Level | undefined) ?? "info",
): Logger {
  const write = (level: Level, event: string, fields: LogFields = {}) => {
    if (ORDER[level] < (ORDER[minLevel] ?? 20)) return;
    const scoped = invocation.getStore();
    sink(JSON.stringify({ level, event, time: new Date().toISOString(), ...scoped, ...base, ...fields }));
  };
  return {
    debug: (event, fields) => write("debug", event, fields),
    info: (event, fields) => write("info", event, fields),
    warn: (event, fields) => write("warn", event, fields),
    error: (event, fields) => write("error", event, fields),
    child: (fields) => createLogger({ ...base, ...fields }, sink, minLevel),
    sink,
  };
}

/** The safe description of an error: its name, code and operation, never its message text. */
export function errorFields(error: unknown): LogFields {
  if (!(error instanceof Error)) return { error_name: typeof error };
  const record = error as Error & { code?: unknown; operation?: unknown; status?: unknown; kind?: unknown };
  return {
    error_name: error.name,
    error_code: typeof record.code === "string" ? record.code : undefined,
    error_operation: typeof record.operation === "string" ? record.operation : undefined,
    error_status: typeof record.status === "number" ? record.status : undefined,
    error_kind: typeof record.kind === "string" ? record.kind : undefined,
  };
}

export const log = createLogger();
