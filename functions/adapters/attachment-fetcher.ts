// AttachmentFetcher over node:https: resolve the host, refuse if any address is internal, connect to the checked
// address, follow at most 3 redirects by hand (each one checked the same way), stream under the caps.
import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import { boundedMs, type Deadline } from "../core/deadline.js";
import { AttachmentError } from "../core/errors.js";
import type { AttachmentFetcher, AttachmentSource, DownloadLimits, OutgoingAttachment } from "../core/ports.js";
import { isBlockedAddress } from "./address-ranges.js";
import { getOnce, type VettedTarget } from "./attachment-http.js";

export interface ResolvedAddress {
  address: string;
  family: number;
}

export interface DownloaderOptions {
  /** Hosts (names or IP addresses, as written in URLs) exempt from the range check and allowed over http. Local only. */
  allowHosts?: readonly string[];
  /** Every address of a host name; node:dns by default (tests map names to 127.0.0.1). */
  resolve?: (host: string) => Promise<ResolvedAddress[]>;
  /** Longest silence on a connection (connect, headers, between chunks). */
  idleTimeoutMs?: number;
  /** The whole download, redirects included: leaves room for the Chatwoot calls within the 29 s function timeout. */
  totalTimeoutMs?: number;
  /** Extra trusted certificates (tests). */
  ca?: string;
  /** The invocation's end: a download never outlives it. */
  deadline?: Deadline;
}

/** Spec §3.3 / issue #7: a redirect chain longer than this is refused. */
const MAX_REDIRECTS = 3;
const IDLE_TIMEOUT_MS = 5_000;
const TOTAL_TIMEOUT_MS = 10_000;
/** Chatwoot stores files under the name given; keep it a plain name of sane length. */
const MAX_FILENAME_LENGTH = 255;

const systemResolve = (host: string): Promise<ResolvedAddress[]> => lookup(host, { all: true, verbatim: true });

export class AttachmentDownloader implements AttachmentFetcher {
  private readonly allowHosts: Set<string>;
  private readonly resolve: (host: string) => Promise<ResolvedAddress[]>;

  constructor(private readonly options: DownloaderOptions = {}) {
    this.allowHosts = new Set((options.allowHosts ?? []).map((host) => bare(host)));
    this.resolve = options.resolve ?? systemResolve;
  }

  async fetch(source: AttachmentSource, limits: DownloadLimits): Promise<OutgoingAttachment> {
    const deadline = Date.now() + boundedMs(this.options.deadline, this.options.totalTimeoutMs ?? TOTAL_TIMEOUT_MS);
    let url = parseUrl(source.url, "not_https");
    for (let redirects = 0; ; redirects++) {
      const target = await this.vet(url, deadline);
      const outcome = await getOnce(target, {
        ...limits,
        deadline,
        idleTimeoutMs: this.options.idleTimeoutMs ?? IDLE_TIMEOUT_MS,
        ...(this.options.ca !== undefined ? { ca: this.options.ca } : {}),
      });
      if (outcome.kind === "file") {
        const contentType = source.contentType ?? outcome.contentType ?? "application/octet-stream";
        return { filename: source.filename ?? filenameOf(url), contentType, data: outcome.data };
      }
      if (redirects >= MAX_REDIRECTS) throw new AttachmentError("too_many_redirects");
      url = parseUrl(outcome.location, "bad_redirect", url);
    }
  }

  /** Checks the scheme and every address of the host; the first address is the one connected to. */
  private async vet(url: URL, deadline: number): Promise<VettedTarget> {
    const host = bare(url.hostname);
    const allowed = this.allowHosts.has(host);
    if (url.protocol !== "https:" && !(allowed && url.protocol === "http:")) throw new AttachmentError("not_https");
    const family = isIP(host);
    const addresses = family !== 0 ? [{ address: host, family }] : await this.lookupAll(host, deadline);
    const first = addresses[0];
    if (first === undefined) throw new AttachmentError("unresolvable");
    if (!allowed && addresses.some((a) => isBlockedAddress(a.address))) throw new AttachmentError("blocked_address");
    return { url, address: first.address, family: first.family === 6 ? 6 : 4 };
  }

  /** The system resolver has no timeout of its own: the download's deadline bounds it. */
  private async lookupAll(host: string, deadline: number): Promise<ResolvedAddress[]> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new AttachmentError("timeout")), Math.max(0, deadline - Date.now()));
    });
    try {
      return await Promise.race([this.resolve(host), late]);
    } catch (error) {
      throw error instanceof AttachmentError ? error : new AttachmentError("unresolvable", { cause: error });
    } finally {
      clearTimeout(timer);
    }
  }
}

function bare(host: string): string {
  return host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, "");
}

function parseUrl(text: string, failure: "not_https" | "bad_redirect", base?: URL): URL {
  try {
    return new URL(text, base);
  } catch (error) {
    throw new AttachmentError(failure, { cause: error });
  }
}

/** The last path segment, decoded, as a plain name: no directories, no control characters. */
function filenameOf(url: URL): string {
  const last = url.pathname.split("/").pop() ?? "";
  let name: string;
  try {
    name = decodeURIComponent(last);
  } catch {
    name = last;
  }
  const plain = name
    .replace(/[\p{Cc}/\\]/gu, "_")
    .slice(0, MAX_FILENAME_LENGTH)
    .trim();
  return plain === "" || plain === "." || plain === ".." ? "attachment" : plain;
}
