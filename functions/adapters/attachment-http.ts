// One GET of a download, to an address already vetted: TLS and Host name the original host, redirects are handed
// back (never followed here), the body is streamed under the caps, and every failure becomes an AttachmentError.
import type { IncomingMessage } from "node:http";
import { request as httpsRequest, type RequestOptions } from "node:https";
import { isIP } from "node:net";
import { AttachmentError, type AttachmentFailureKind } from "../core/errors.js";
import type { DownloadLimits } from "../core/ports.js";
import { http } from "./node-http.js";

/** A URL and the address its host resolved to, after the range check. */
export interface VettedTarget {
  url: URL;
  address: string;
  family: 4 | 6;
}

export interface GetOptions extends DownloadLimits {
  /** Epoch ms by which the whole download (redirects included) must be done. */
  deadline: number;
  /** Longest silence on the socket: connecting, waiting for headers, between chunks. */
  idleTimeoutMs: number;
  /** Extra trusted certificates (tests); the system's roots otherwise. */
  ca?: string;
}

export type GetOutcome =
  | { kind: "redirect"; location: string }
  | { kind: "file"; data: Uint8Array; contentType: string | undefined };

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export function getOnce(target: VettedTarget, options: GetOptions): Promise<GetOutcome> {
  return new Promise((resolve, reject) => {
    const { url } = target;
    const secure = url.protocol === "https:";
    const host = url.hostname.replace(/^\[|\]$/g, "");
    const request: RequestOptions = {
      // Connect to the vetted address itself, so a second DNS answer (rebinding) cannot swap it.
      host: target.address,
      family: target.family,
      port: url.port || (secure ? 443 : 80),
      path: `${url.pathname}${url.search}`,
      method: "GET",
      agent: false,
      headers: { host: url.host, accept: "*/*", "accept-encoding": "identity", "user-agent": "chatwoot-bridge" },
      // The certificate is checked against the name the client gave (SNI must not be an IP address).
      ...(secure && isIP(host) === 0 ? { servername: host } : {}),
      ...(options.ca !== undefined ? { ca: options.ca } : {}),
    };
    let settled = false;
    const finish = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal.removeEventListener("abort", onAbort);
      outcome();
    };
    const fail = (kind: AttachmentFailureKind, status?: number, cause?: unknown): void => {
      finish(() => reject(new AttachmentError(kind, { ...(status !== undefined ? { status } : {}), cause })));
      req.destroy();
    };
    const onAbort = (): void => fail("aborted");
    const req = (secure ? httpsRequest : http.request)(request, (res) =>
      readResponse(res, options, { fail, done: (o) => finish(() => resolve(o)) }),
    );
    const timer = setTimeout(() => fail("timeout"), Math.max(0, options.deadline - Date.now()));
    req.setTimeout(options.idleTimeoutMs, () => fail("timeout"));
    req.on("error", (error) => fail("unreachable", undefined, error));
    if (options.signal.aborted) onAbort();
    else options.signal.addEventListener("abort", onAbort);
    req.end();
  });
}

interface Settle {
  fail(kind: AttachmentFailureKind, status?: number): void;
  done(outcome: GetOutcome): void;
}

function readResponse(res: IncomingMessage, limits: DownloadLimits, settle: Settle): void {
  const status = res.statusCode ?? 0;
  if (REDIRECTS.has(status) && res.headers.location) {
    settle.done({ kind: "redirect", location: res.headers.location });
    return void res.destroy();
  }
  if (status < 200 || status > 299) {
    settle.fail("http_status", status);
    return;
  }
  const declared = Number(res.headers["content-length"]);
  // Refused before a byte of the body is read when the server says how large it is.
  if (Number.isFinite(declared) && declared > limits.maxBytes) {
    settle.fail("too_large");
    return;
  }
  const chunks: Buffer[] = [];
  let received = 0;
  res.on("data", (chunk: Buffer) => {
    received += chunk.length;
    if (received > limits.maxBytes || !limits.reserve(chunk.length)) return settle.fail("too_large");
    chunks.push(chunk);
  });
  res.on("error", () => settle.fail("unreachable"));
  res.on("end", () => {
    // A connection closed before Content-Length bytes arrived is a truncated file, not a small one.
    if (!res.complete) return settle.fail("unreachable");
    const contentType = res.headers["content-type"]?.split(";")[0]?.trim();
    const body = Buffer.concat(chunks);
    // A plain view over the same memory: no second copy of up to 20 MB.
    const data = new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
    settle.done({ kind: "file", data, contentType: contentType || undefined });
  });
}
