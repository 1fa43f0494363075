// The local server's transport over raw sockets (issue 16): slow headers and slow bodies are cut by the server's
// timeouts (shortened here through startTestBridge), a huge body is refused while it streams, and errors of Node's
// HTTP parser come back as the spec's JSON. Each test awaits the socket's close; none sleeps.
import { connect, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sandboxOf, startTestBridge, type TestBridge } from "../support/bridge.js";
import { tableItemCount } from "../support/table-items.js";

const TIMEOUTS = { headersTimeoutMs: 300, requestTimeoutMs: 600, checkIntervalMs: 50 };

let t: TestBridge;
beforeAll(async () => {
  t = await startTestBridge({}, { transport: TIMEOUTS });
});
afterAll(async () => t.close());

interface RawAnswer {
  status: number;
  headers: string;
  body: unknown;
}

/** Opens a socket, lets `talk` write, and resolves with what the server sent once the socket is closed. */
function exchange(talk: (socket: Socket, answered: () => boolean) => void): Promise<RawAnswer> {
  const { hostname, port } = new URL(t.bridge.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const received: Buffer[] = [];
    socket.on("data", (chunk: Buffer) => received.push(chunk));
    // Writes after the server closed fail with EPIPE/ECONNRESET: expected when a body is cut off.
    socket.on("error", () => undefined);
    socket.on("close", () => {
      const [head = "", ...rest] = Buffer.concat(received).toString("utf8").split("\r\n\r\n");
      const headers = head.toLowerCase();
      const raw = rest.join("\r\n\r\n");
      const body = headers.includes("transfer-encoding: chunked") ? unchunk(raw) : raw;
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);
      try {
        resolve({ status, headers, body: body ? JSON.parse(body) : undefined });
      } catch (error) {
        reject(error);
      }
    });
    socket.on("connect", () => talk(socket, () => received.length > 0));
  });
}

/** The body of a chunked response (sizes in hex, each chunk followed by CRLF, ended by a zero-size chunk). */
function unchunk(raw: string): string {
  let body = "";
  for (let at = 0; ; ) {
    const lineEnd = raw.indexOf("\r\n", at);
    const size = Number.parseInt(raw.slice(at, lineEnd), 16);
    if (!size) return body;
    body += raw.slice(lineEnd + 2, lineEnd + 2 + size);
    at = lineEnd + 4 + size;
  }
}

const head = (lines: string[]) => `${lines.join("\r\n")}\r\n\r\n`;
/** The head of an authenticated JSON POST, with the body's framing header(s) added. */
const jsonHead = (path: string, ...framing: string[]) =>
  head([
    `POST ${path} HTTP/1.1`,
    "host: local",
    `authorization: Bearer ${t.bridge.apiKey}`,
    "content-type: application/json",
    ...framing,
  ]);

async function expectNothingChanged() {
  expect(sandboxOf(t).calls()).toEqual({});
  expect(await tableItemCount(t.bridge.config)).toBe(0);
  expect(t.bridge.queue.stats()).toEqual({ visible: 0, inFlight: 0, invisible: 0, deadLetters: 0 });
}

describe("the local server's transport", () => {
  it("answers headers that never finish with 408 JSON and closes the connection", async () => {
    const answer = await exchange((socket) => socket.write("POST /messages HTTP/1.1\r\nhost: local\r\n"));
    expect([answer.status, answer.body]).toEqual([
      408,
      {
        error: {
          code: "request_timeout",
          message: "Request not received in time (headers within 300 ms, all within 600 ms)",
        },
      },
    ]);
    expect(answer.headers).toContain("content-type: application/json");
    await expectNothingChanged();
  });

  it("answers a body that stops arriving with 408 JSON, before any handler runs", async () => {
    const answer = await exchange((socket) => {
      socket.write(jsonHead("/messages", "content-length: 100"));
      socket.write('{"user_id":"slow-body-user",');
    });
    expect([answer.status, (answer.body as { error: { code: string } }).error.code]).toEqual([408, "request_timeout"]);
    await expectNothingChanged();
  });

  it("refuses a declared 100 MiB body with 413 JSON without reading it", async () => {
    const answer = await exchange((socket) =>
      socket.write(jsonHead("/messages", `content-length: ${100 * 1024 * 1024}`)),
    );
    expect([answer.status, answer.body]).toEqual([
      413,
      { error: { code: "payload_too_large", message: "Body is larger than 262144 bytes" } },
    ]);
    await expectNothingChanged();
  });

  it("stops a 100 MiB chunked body at the 256 KiB limit with 413 JSON, long before it is all sent", async () => {
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    const framed = Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from("\r\n")]);
    let written = 0;
    const answer = await exchange((socket, answered) => {
      socket.write(jsonHead("/contacts", "transfer-encoding: chunked"));
      const pump = () => {
        while (!answered() && !socket.destroyed && written < 100 * 1024 * 1024) {
          written += chunk.length;
          if (!socket.write(framed)) return void socket.once("drain", pump);
        }
      };
      pump();
    });
    expect([answer.status, answer.body]).toEqual([
      413,
      { error: { code: "payload_too_large", message: "Body is larger than 262144 bytes" } },
    ]);
    expect(written).toBeLessThan(16 * 1024 * 1024);
    await expectNothingChanged();
  });

  it("answers a body sent to no route with 404 JSON without reading it", async () => {
    const answer = await exchange((socket) =>
      socket.write(head(["POST /nowhere HTTP/1.1", "host: local", `content-length: ${100 * 1024 * 1024}`])),
    );
    expect([answer.status, answer.body]).toEqual([
      404,
      { error: { code: "not_found", message: "No route for POST /nowhere" } },
    ]);
    expect(answer.headers).toContain("connection: close");
  });

  it("answers headers over 16 KiB with 431 JSON", async () => {
    const answer = await exchange((socket) =>
      socket.write(head(["GET /health HTTP/1.1", "host: local", `x-padding: ${"p".repeat(17 * 1024)}`])),
    );
    expect([answer.status, answer.body]).toEqual([
      431,
      { error: { code: "headers_too_large", message: "Request headers are larger than 16384 bytes" } },
    ]);
    await expectNothingChanged();
  });

  it("answers a malformed request with 400 JSON", async () => {
    const answer = await exchange((socket) => socket.write("NOT AN HTTP REQUEST\r\n\r\n"));
    expect([answer.status, answer.body]).toEqual([
      400,
      { error: { code: "bad_request", message: "Malformed HTTP request" } },
    ]);
    await expectNothingChanged();
  });

  it("still serves a well-formed request on the same server", async () => {
    const answer = await exchange((socket) =>
      socket.write(head(["GET /health HTTP/1.1", "host: local", "connection: close"])),
    );
    expect([answer.status, answer.body]).toEqual([200, { ok: true }]);
  });
});
