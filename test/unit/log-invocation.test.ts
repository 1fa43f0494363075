// Every log line written inside a Lambda invocation carries its request id and whether it was the container's cold
// start (spec §7 "Logs"), however deep the code that writes it, and concurrent invocations never mix them up.
import { afterEach, describe, expect, it, vi } from "vitest";
import { lambdaEntry } from "../../functions/compose/lambda-entry.js";
import { createLogger, withLogFields } from "../../functions/log.js";
import { localContext } from "../../dev/lambda-context.js";

const context = (awsRequestId: string) => localContext("Test", awsRequestId);

const read = (lines: string[]) => lines.map((line) => JSON.parse(line) as Record<string, unknown>);

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("invocation fields on log lines", () => {
  it("marks the first invocation of a container as the cold start, and every line with its request id", async () => {
    for (const [name, value] of Object.entries({
      CHATWOOT_ACCOUNT_ID: "1",
      CHATWOOT_INBOX_ID: "1",
      CHATWOOT_API_TOKEN: "t",
      CHATWOOT_WEBHOOK_SECRET: "s",
      BRIDGE_API_KEY: "a-bridge-api-key-of-length",
    }))
      vi.stubEnv(name, value);
    const lines: string[] = [];
    const log = createLogger({ route: "Test" }, (line) => lines.push(line));
    const handler = lambdaEntry(
      () => ({ log }),
      (deps) => async (event: { n: number }) => {
        deps.log.info("test.handled", { n: event.n });
        return event.n;
      },
    );
    await handler({ n: 1 }, context("req-1"));
    await handler({ n: 2 }, context("req-2"));
    expect(read(lines).map(({ time, ...rest }) => rest)).toEqual([
      { level: "info", event: "test.handled", aws_request_id: "req-1", cold_start: true, route: "Test", n: 1 },
      { level: "info", event: "test.handled", aws_request_id: "req-2", cold_start: false, route: "Test", n: 2 },
    ]);
  });

  it("keeps concurrent invocations' ids apart across awaits", async () => {
    const lines: string[] = [];
    const log = createLogger({}, (line) => lines.push(line));
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const first = withLogFields({ aws_request_id: "a" }, async () => {
      await gate;
      log.info("test.after_wait");
    });
    const second = withLogFields({ aws_request_id: "b" }, async () => log.info("test.at_once"));
    await second;
    release();
    await first;
    expect(read(lines).map((l) => [l.event, l.aws_request_id])).toEqual([
      ["test.at_once", "b"],
      ["test.after_wait", "a"],
    ]);
    log.info("test.outside");
    expect(read(lines).at(-1)?.aws_request_id).toBeUndefined();
  });
});
