// What API Gateway does for us in AWS, done by the local server: slow clients are cut in seconds, a body is read
// only up to its route's limit (never whole), and errors of Node's HTTP parser are answered in the spec's JSON.
import { type IncomingMessage, type Server, type ServerOptions, ServerResponse } from "node:http";
import type { Socket } from "node:net";

export interface TransportLimits {
  /** Until the request's headers are complete. */
  headersTimeoutMs: number;
  /** Until the whole request, body included, is received (not the handler's work). */
  requestTimeoutMs: number;
  /** How often Node checks those two; they fire up to this much late. */
  checkIntervalMs: number;
  /** Node's default: larger headers are answered 431. */
  maxHeaderBytes: number;
}

export const TRANSPORT_DEFAULTS: TransportLimits = {
  headersTimeoutMs: 5_000,
  requestTimeoutMs: 10_000,
  checkIntervalMs: 1_000,
  maxHeaderBytes: 16 * 1024,
};

export function serverOptions(limits: TransportLimits): ServerOptions {
  return {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: Math.max(limits.requestTimeoutMs, limits.headersTimeoutMs),
    connectionsCheckingInterval: limits.checkIntervalMs,
    maxHeaderSize: limits.maxHeaderBytes,
  };
}

/** The local server's own refusals (transport, not body): API Gateway answers these itself in AWS. */
export function jsonError(status: number, code: string, message: string): { status: number; body: string } {
  return { status, body: JSON.stringify({ error: { code, message } }) };
}

/** Answers Node's parser errors (431, 400, 408) as JSON where the socket still takes a response. */
export function answerClientErrors(server: Server, limits: TransportLimits): void {
  server.on("clientError", (error: NodeJS.ErrnoException, socket: Socket) => {
    const answer = clientErrorAnswer(error.code, limits);
    // As Node's own handler: no second answer on a socket whose response has begun (e.g. a 413 sent mid-body).
    const response: unknown = Reflect.get(socket, "_httpMessage");
    const answered = response instanceof ServerResponse && response.headersSent;
    if (answer && socket.writable && !answered) {
      socket.end(
        `HTTP/1.1 ${answer.status} ${STATUS_TEXT[answer.status] ?? "Error"}\r\ncontent-type: application/json\r\n` +
          `content-length: ${Buffer.byteLength(answer.body)}\r\nconnection: close\r\n\r\n${answer.body}`,
      );
    }
    socket.destroySoon();
  });
}

const STATUS_TEXT: Record<number, string> = { 400: "Bad Request", 408: "Request Timeout", 431: "Header Too Large" };

function clientErrorAnswer(code: string | undefined, limits: TransportLimits) {
  if (code === "ECONNRESET") return undefined;
  if (code === "HPE_HEADER_OVERFLOW")
    return jsonError(431, "headers_too_large", `Request headers are larger than ${limits.maxHeaderBytes} bytes`);
  if (code === "ERR_HTTP_REQUEST_TIMEOUT" || code === "ERR_HTTP_HEADERS_TIMEOUT")
    return jsonError(
      408,
      "request_timeout",
      `Request not received in time (headers within ${limits.headersTimeoutMs} ms, all within ${limits.requestTimeoutMs} ms)`,
    );
  return jsonError(400, "bad_request", "Malformed HTTP request");
}

/**
 * Reads the body up to `maxBytes`. Past it (by Content-Length or while streaming) answers 413 at once, stops
 * keeping what arrives and closes the connection once the answer is out: a 100 MiB body is never read whole.
 */
export function readBody(req: IncomingMessage, res: ServerResponse, maxBytes: number): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const refuse = () => {
      const answer = jsonError(413, "payload_too_large", `Body is larger than ${maxBytes} bytes`);
      res.writeHead(answer.status, { "content-type": "application/json", connection: "close" });
      // `connection: close`: Node ends the socket once the answer is out, without reading the rest.
      res.end(answer.body);
      resolve(undefined);
    };
    if (Number(req.headers["content-length"] ?? 0) > maxBytes) return refuse();
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) return void chunks.push(chunk);
      req.off("data", onData);
      req.off("end", onEnd);
      refuse();
    };
    const onEnd = () => resolve(Buffer.concat(chunks));
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", () => resolve(undefined));
  });
}
