// The part of the SST CLI a deploy talks to over JSON-RPC (SST_SERVER): the bootstrap bucket's names and
// Runtime.Build. Builds are real esbuild bundles of the handler, made as the CLI makes them (sst-esbuild.ts) and
// shared between deploys (bundle-cache.ts); each build's input (the function's links) is kept for the tests.
// Everything stays on 127.0.0.1.
import { createCipheriv } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Bundle, BundleCache } from "./bundle-cache.js";
import type { NodejsBundling } from "./sst-esbuild.js";

export interface BuildRecord {
  functionID: string;
  handler: string;
  runtime: string;
  links: Record<string, Record<string, unknown>>;
  properties: NodejsBundling & { architecture?: string };
  /** What the bundle's entry exports (esbuild metafile). */
  exports: string[];
  bytes: number;
  /** The adapter files (functions/adapters/) the bundle holds. */
  adapters: string[];
  /** The npm packages the bundle holds. */
  packages: string[];
  /** The function's package directory (until the run is cleaned up) and the bundle inside it. */
  out: string;
  bundle: string;
}

export interface FakeCli {
  url: string;
  builds: BuildRecord[];
  close(): Promise<void>;
}

const HANDLER_EXTENSIONS = [".ts", ".mts", ".js", ".mjs"];

export interface FakeCliOptions {
  root: string;
  /** Where function packages go; the caller removes it. */
  work: string;
  bundles: BundleCache;
}

export async function startFakeCli(options: FakeCliOptions): Promise<FakeCli> {
  const builds: BuildRecord[] = [];
  const methods: Record<string, (args: Record<string, unknown>) => Promise<unknown>> = {
    "Provider.Aws.Bootstrap": async () => ({
      asset: "sst-asset-test",
      assetEcrRegistryId: "123456789012",
      assetEcrUrl: "123456789012.dkr.ecr.eu-central-1.amazonaws.com/sst-asset",
      state: "sst-state-test",
      appsyncHttp: "",
      appsyncRealtime: "",
    }),
    "Runtime.Build": async (args) => runtimeBuild(options, args, builds),
  };
  const server = createServer((req, res) => {
    void readJson(req).then(async (body) => {
      const method = typeof body.method === "string" ? body.method : "";
      const params = Array.isArray(body.params) ? body.params : [];
      const args: unknown = params[0];
      const call = methods[method];
      const reply = call
        ? await call(isRecord(args) ? args : {}).then(
            (result) => ({ result, error: null }),
            (error: unknown) => ({ result: null, error: error instanceof Error ? error.message : String(error) }),
          )
        : { result: null, error: `rpc: can't find method ${method}` };
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(reply));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${port(server)}`,
    builds,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function runtimeBuild(
  options: FakeCliOptions,
  args: Record<string, unknown>,
  builds: BuildRecord[],
): Promise<unknown> {
  const functionID = String(args.functionID);
  const handler = String(args.handler);
  const properties = bundlingOf(isRecord(args.properties) ? args.properties : {});
  const base = handler.slice(0, handler.lastIndexOf("."));
  const entry = HANDLER_EXTENSIONS.map((ext) => join(options.root, base + ext)).find((file) => existsSync(file));
  if (!entry) return { handler, out: "", errors: [`Handler not found: ${handler}`], sourcemaps: [] };
  const out = join(options.work, "artifacts", `${functionID}-src`);
  const outfile = join(out, `${base}.mjs`);
  let bundle: Bundle;
  try {
    bundle = await options.bundles.bundleTo(entry, outfile, properties);
  } catch (error) {
    return { handler, out, errors: [error instanceof Error ? error.message : String(error)], sourcemaps: [] };
  }
  const links = isRecord(args.links) ? recordOfRecords(args.links) : {};
  writeResourceFile(out, String(args.encryptionKey), links);
  builds.push({
    functionID,
    handler,
    runtime: String(args.runtime),
    links,
    properties,
    exports: bundle.exports,
    bytes: bundle.bytes,
    adapters: bundle.adapters,
    packages: bundle.packages,
    out,
    bundle: `${base}.mjs`,
  });
  return { handler, out, errors: [], sourcemaps: [] };
}

/**
 * resource.enc as the CLI writes it (pkg/runtime/runtime.go): the links as JSON, AES-256-GCM with the
 * function's key and a zero nonce, tag appended. `Resource` from "sst" decrypts it at cold start.
 */
function writeResourceFile(out: string, keyBase64: string, links: Record<string, unknown>): void {
  const cipher = createCipheriv("aes-256-gcm", Buffer.from(keyBase64, "base64"), Buffer.alloc(12, 0));
  const sealed = Buffer.concat([cipher.update(JSON.stringify(links), "utf8"), cipher.final(), cipher.getAuthTag()]);
  writeFileSync(join(out, "resource.enc"), sealed);
}

/** The `nodejs` settings SST forwards, plus the architecture. */
function bundlingOf(p: Record<string, unknown>): BuildRecord["properties"] {
  const esbuild = isRecord(p.esbuild) ? p.esbuild : {};
  return {
    ...(p.format === "esm" || p.format === "cjs" ? { format: p.format } : {}),
    ...(typeof p.minify === "boolean" ? { minify: p.minify } : {}),
    ...(typeof p.sourcemap === "boolean" ? { sourcemap: p.sourcemap } : {}),
    esbuild: {
      ...(typeof esbuild.target === "string" ? { target: esbuild.target } : {}),
      ...(Array.isArray(esbuild.external) ? { external: esbuild.external.map(String) } : {}),
    },
    ...(isRecord(p.install) ? { install: Object.keys(p.install) } : {}),
    ...(typeof p.plugins === "string" ? { plugins: p.plugins } : {}),
    ...(typeof p.architecture === "string" ? { architecture: p.architecture } : {}),
  };
}

function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      resolve(isRecord(parsed) ? parsed : {});
    });
  });
}

function port(server: Server): number {
  const address = server.address();
  return typeof address === "object" && address ? address.port : 0;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function recordOfRecords(value: Record<string, unknown>): Record<string, Record<string, unknown>> {
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, isRecord(inner) ? inner : {}]));
}
