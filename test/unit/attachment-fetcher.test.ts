// The downloader against real local servers: what it connects to, what it refuses (and that it never connected
// then), redirects, caps, TLS names, timeouts. Host names are mapped by a fake resolver, so all runs on 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AttachmentDownloader,
  type DownloaderOptions,
  type ResolvedAddress,
} from "../../functions/adapters/attachment-fetcher.js";
import { AttachmentError, type AttachmentFailureKind } from "../../functions/core/errors.js";
import type { DownloadLimits } from "../../functions/core/ports.js";
import { startFileServer, TEST_CA, type FileServer } from "../support/file-server.js";

let plain: FileServer;
let tls: FileServer;
beforeAll(async () => {
  [plain, tls] = await Promise.all([startFileServer(), startFileServer({ tls: true })]);
});
afterAll(async () => Promise.all([plain.close(), tls.close()]));

const MB = 1024 * 1024;
const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
const limits = (overrides: Partial<DownloadLimits> = {}): DownloadLimits => ({
  maxBytes: 20 * MB,
  reserve: () => true,
  signal: new AbortController().signal,
  ...overrides,
});

/** A resolver with a table, counting its calls: names not in the table do not resolve. */
function resolver(table: Record<string, string[]>) {
  const asked: string[] = [];
  const resolve = async (host: string): Promise<ResolvedAddress[]> => {
    asked.push(host);
    const found = table[host];
    if (!found) throw Object.assign(new Error("getaddrinfo ENOTFOUND"), { code: "ENOTFOUND" });
    return found.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
  };
  return { resolve, asked };
}

const local = (options: DownloaderOptions = {}) => new AttachmentDownloader({ allowHosts: ["127.0.0.1"], ...options });

async function failure(
  promise: Promise<unknown>,
): Promise<{ kind: AttachmentFailureKind; status: number | undefined }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AttachmentError) return { kind: error.kind, status: error.status };
    throw error;
  }
  throw new Error("expected the download to fail");
}

describe("a download", () => {
  it("returns the bytes with the server's content type and the URL's last segment as filename", async () => {
    plain.route("/files/scan%20one.png", { kind: "file", contentType: "image/png; charset=binary", body: png });
    const file = await local().fetch({ url: `${plain.url}/files/scan%20one.png?sig=abc` }, limits());
    expect(file).toEqual({ filename: "scan one.png", contentType: "image/png", data: png });
  });

  it("prefers the client's filename and content type, and falls back to application/octet-stream", async () => {
    plain.route("/blob", { kind: "file", body: png });
    expect(
      await local().fetch({ url: `${plain.url}/blob`, filename: "receipt.png", contentType: "image/png" }, limits()),
    ).toEqual({ filename: "receipt.png", contentType: "image/png", data: png });
    expect(await local().fetch({ url: `${plain.url}/blob` }, limits())).toMatchObject({
      filename: "blob",
      contentType: "application/octet-stream",
    });
  });

  it("connects to the address it checked, sending the original host name, and resolves each host once", async () => {
    plain.route("/named.png", { kind: "file", contentType: "image/png", body: png });
    const dns = resolver({ "files.example.test": ["127.0.0.1"] });
    const fetcher = new AttachmentDownloader({ allowHosts: ["files.example.test"], resolve: dns.resolve });
    await fetcher.fetch({ url: `http://files.example.test:${plain.port}/named.png` }, limits());
    expect(dns.asked).toEqual(["files.example.test"]);
    expect(plain.hosts().at(-1)).toBe(`files.example.test:${plain.port}`);
  });

  it("checks the TLS certificate against the original name while connecting to the checked address", async () => {
    tls.route("/secure.pdf", { kind: "file", contentType: "application/pdf", body: png });
    const dns = resolver({ "files.example.test": ["127.0.0.1"], "other.example.test": ["127.0.0.1"] });
    const fetcher = new AttachmentDownloader({
      allowHosts: ["files.example.test", "other.example.test"],
      resolve: dns.resolve,
      ca: TEST_CA,
    });
    expect((await fetcher.fetch({ url: `https://files.example.test:${tls.port}/secure.pdf` }, limits())).data).toEqual(
      png,
    );
    expect(
      await failure(fetcher.fetch({ url: `https://other.example.test:${tls.port}/secure.pdf` }, limits())),
    ).toEqual({ kind: "unreachable", status: undefined });
    expect(
      await failure(
        new AttachmentDownloader({ allowHosts: ["files.example.test"], resolve: dns.resolve }).fetch(
          { url: `https://files.example.test:${tls.port}/secure.pdf` },
          limits(),
        ),
      ),
    ).toEqual({ kind: "unreachable", status: undefined });
  });
});

describe("refusals before connecting", () => {
  it("refuses a host when any of its addresses is internal, and never connects", async () => {
    plain.resetHits();
    const dns = resolver({
      "mixed.example.test": ["93.184.216.34", "10.0.0.7"],
      "inside.example.test": ["::ffff:127.0.0.1"],
    });
    const fetcher = new AttachmentDownloader({ resolve: dns.resolve });
    expect(await failure(fetcher.fetch({ url: `https://mixed.example.test:${plain.port}/a` }, limits()))).toEqual({
      kind: "blocked_address",
      status: undefined,
    });
    expect(await failure(fetcher.fetch({ url: `https://inside.example.test:${plain.port}/a` }, limits()))).toEqual({
      kind: "blocked_address",
      status: undefined,
    });
    expect(plain.hits()).toBe(0);
  });

  it.each([
    "https://127.0.0.1/a",
    "https://[::1]/a",
    "https://169.254.169.254/latest/meta-data/",
    "https://2130706433/a",
    "https://[::ffff:10.0.0.1]/a",
  ])("refuses the address literal in %s without asking DNS", async (url) => {
    const dns = resolver({});
    expect(await failure(new AttachmentDownloader({ resolve: dns.resolve }).fetch({ url }, limits()))).toEqual({
      kind: "blocked_address",
      status: undefined,
    });
    expect(dns.asked).toEqual([]);
  });

  it("refuses plain http unless the host is allow-listed, and a name that does not resolve", async () => {
    plain.resetHits();
    expect(await failure(new AttachmentDownloader().fetch({ url: `${plain.url}/a` }, limits()))).toEqual({
      kind: "not_https",
      status: undefined,
    });
    expect(
      await failure(
        new AttachmentDownloader({ resolve: resolver({}).resolve }).fetch(
          { url: "https://nowhere.example.test/a" },
          limits(),
        ),
      ),
    ).toEqual({ kind: "unresolvable", status: undefined });
    expect(plain.hits()).toBe(0);
  });

  it("gives up on a resolver that never answers when the download's time is up", async () => {
    const fetcher = new AttachmentDownloader({ resolve: () => new Promise(() => undefined), totalTimeoutMs: 50 });
    expect(await failure(fetcher.fetch({ url: "https://slow-dns.example.test/a" }, limits()))).toEqual({
      kind: "timeout",
      status: undefined,
    });
  });
});

describe("redirects", () => {
  it("follows three redirects, relative ones too, and refuses a fourth", async () => {
    plain.route("/r/final.png", { kind: "file", contentType: "image/png", body: png });
    plain.route("/r/3", { kind: "redirect", location: "/r/final.png", status: 308 });
    plain.route("/r/2", { kind: "redirect", location: `${plain.url}/r/3`, status: 307 });
    plain.route("/r/1", { kind: "redirect", location: "2", status: 301 });
    plain.route("/r/0", { kind: "redirect", location: "/r/1" });
    expect(await local().fetch({ url: `${plain.url}/r/1` }, limits())).toMatchObject({
      filename: "final.png",
      data: png,
    });
    expect(await failure(local().fetch({ url: `${plain.url}/r/0` }, limits()))).toEqual({
      kind: "too_many_redirects",
      status: undefined,
    });
  });

  it("checks every redirect target: into a private range, to loopback by name, or to plain http", async () => {
    const dns = resolver({ localhost: ["127.0.0.1", "::1"] });
    plain.route("/to-metadata", { kind: "redirect", location: "https://169.254.169.254/latest/meta-data/" });
    plain.route("/to-localhost", { kind: "redirect", location: `https://localhost:${plain.port}/a` });
    plain.route("/to-http", { kind: "redirect", location: "http://files.example.test/a" });
    plain.route("/to-garbage", { kind: "redirect", location: "http://[broken" });
    const fetcher = local({ resolve: dns.resolve });
    expect(await failure(fetcher.fetch({ url: `${plain.url}/to-metadata` }, limits()))).toEqual({
      kind: "blocked_address",
      status: undefined,
    });
    expect(await failure(fetcher.fetch({ url: `${plain.url}/to-localhost` }, limits()))).toEqual({
      kind: "blocked_address",
      status: undefined,
    });
    expect(await failure(fetcher.fetch({ url: `${plain.url}/to-http` }, limits()))).toEqual({
      kind: "not_https",
      status: undefined,
    });
    expect(await failure(fetcher.fetch({ url: `${plain.url}/to-garbage` }, limits()))).toEqual({
      kind: "bad_redirect",
      status: undefined,
    });
  });
});

describe("caps and failures", () => {
  it("refuses a declared Content-Length over the cap before reading the body", async () => {
    plain.route("/big", { kind: "file", body: new Uint8Array(2 * MB) });
    let reserved = 0;
    const result = await failure(
      local().fetch(
        { url: `${plain.url}/big` },
        limits({
          maxBytes: MB,
          reserve: (n) => {
            reserved += n;
            return true;
          },
        }),
      ),
    );
    expect(result).toEqual({ kind: "too_large", status: undefined });
    expect(reserved).toBe(0);
  });

  it("stops a body without Content-Length once it passes the cap, or once the message's shared budget says no", async () => {
    plain.route("/stream", { kind: "file", body: new Uint8Array(3 * MB), chunked: true });
    expect(await failure(local().fetch({ url: `${plain.url}/stream` }, limits({ maxBytes: 2 * MB })))).toEqual({
      kind: "too_large",
      status: undefined,
    });
    let budget = MB;
    const reserve = (n: number) => {
      budget -= n;
      return budget >= 0;
    };
    expect(await failure(local().fetch({ url: `${plain.url}/stream` }, limits({ reserve })))).toEqual({
      kind: "too_large",
      status: undefined,
    });
    expect((await local().fetch({ url: `${plain.url}/stream` }, limits({ maxBytes: 3 * MB }))).data.byteLength).toBe(
      3 * MB,
    );
  });

  it("reports the server's error status, a truncated body and a stalled server", async () => {
    plain.route("/missing", { kind: "status", status: 404 });
    plain.route("/cut", { kind: "truncated", declared: 1000, sent: 10 });
    plain.route("/stall", { kind: "stall" });
    expect(await failure(local().fetch({ url: `${plain.url}/missing` }, limits()))).toEqual({
      kind: "http_status",
      status: 404,
    });
    expect(await failure(local().fetch({ url: `${plain.url}/cut` }, limits()))).toEqual({
      kind: "unreachable",
      status: undefined,
    });
    expect(await failure(local({ idleTimeoutMs: 100 }).fetch({ url: `${plain.url}/stall` }, limits()))).toEqual({
      kind: "timeout",
      status: undefined,
    });
    expect(await failure(local({ totalTimeoutMs: 100 }).fetch({ url: `${plain.url}/stall` }, limits()))).toEqual({
      kind: "timeout",
      status: undefined,
    });
  });

  it("ends a stalled download at the invocation's deadline, before its own 10 s", async () => {
    plain.route("/stall-3", { kind: "stall" });
    const started = Date.now();
    const deadline = { remainingMs: () => 150 };
    expect(await failure(local({ deadline }).fetch({ url: `${plain.url}/stall-3` }, limits()))).toEqual({
      kind: "timeout",
      status: undefined,
    });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("stops when the message's other download failed (abort signal)", async () => {
    plain.route("/stall-2", { kind: "stall" });
    const controller = new AbortController();
    const download = local().fetch({ url: `${plain.url}/stall-2` }, limits({ signal: controller.signal }));
    await expect.poll(() => plain.hits("/stall-2")).toBe(1);
    controller.abort();
    expect(await failure(download)).toEqual({ kind: "aborted", status: undefined });
  });
});
