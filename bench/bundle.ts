// Bundles every handler as the stack deploys it (SST's esbuild options, stacks/function-settings.ts) and in
// the alternatives we rejected, then measures size and cold import (a fresh node process per import, median).
// Run: npx tsx bench/bundle.ts [runs]. Writes bench/results/bundles.json; figures and choice: docs/infra.md.
import { mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { NODEJS_BUNDLING } from "../stacks/function-settings.js";
import { deliveryWorker, routes } from "../stacks/routes.js";
import { sstBuildOptions, type NodejsBundling } from "../test/infra/support/sst-esbuild.js";
import { adapterModules } from "./bundle-adapters.js";
import { type ColdImport, coldImport } from "./cold-import.js";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const RUNS = Number(process.argv[2] ?? 15);

/** The deployed settings first; each alternative changes one thing. */
const VARIANTS: Record<string, NodejsBundling> = {
  deployed: NODEJS_BUNDLING,
  sdkExternal: { ...NODEJS_BUNDLING, esbuild: { ...NODEJS_BUNDLING.esbuild, external: ["@aws-sdk/*"] } },
  sourcemap: { ...NODEJS_BUNDLING, sourcemap: true },
  unminified: { ...NODEJS_BUNDLING, minify: false },
};

/** Node flags per variant: source maps only cost anything when Node is told to use them. */
const NODE_FLAGS: Record<string, string[]> = { sourcemap: ["--enable-source-maps"] };

interface Figures {
  bytes: number;
  mapBytes: number;
  importMsMin: number;
  importMsMedian: number;
  importMsP90: number;
  /** Import, then Node's fetch loaded (bench/cold-import.ts): when a first Chatwoot call can start. */
  importFetchMsMedian: number;
}

const functions = [
  ...routes.map((r) => ({ name: r.name, handler: r.handler })),
  { name: deliveryWorker.name, handler: deliveryWorker.handler },
];
const work = mkdtempSync(join(tmpdir(), "chatwoot-bridge-bundles-"));
// The SDK-external variant must find @aws-sdk the way Lambda finds its own copy: unbundled, on disk.
symlinkSync(join(ROOT, "node_modules"), join(work, "node_modules"));

try {
  const results: Record<string, Record<string, Figures>> = {};
  /** Per function, the adapter modules its deployed bundle holds (each entry builds only its route's adapters). */
  const adapters: Record<string, string[]> = {};
  for (const fn of functions) {
    const files: Record<string, string> = {};
    for (const [variant, nodejs] of Object.entries(VARIANTS)) {
      files[variant] = join(work, variant, fn.name, "index.mjs");
      mkdirSync(join(work, variant, fn.name), { recursive: true });
      const built = await build(await sstBuildOptions(join(ROOT, `${fn.handler}.ts`), String(files[variant]), nodejs));
      if (variant === "deployed" && built.metafile) adapters[fn.name] = adapterModules(built.metafile, ROOT);
    }
    // Round-robin over the variants, so a busy moment on the machine costs every variant alike.
    const timings: Record<string, ColdImport[]> = Object.fromEntries(Object.keys(VARIANTS).map((v) => [v, []]));
    for (let run = 0; run < RUNS; run++) {
      for (const variant of Object.keys(VARIANTS))
        timings[variant]?.push(coldImport(String(files[variant]), NODE_FLAGS[variant] ?? []));
    }
    results[fn.name] = Object.fromEntries(
      Object.entries(VARIANTS).map(([variant, nodejs]) => {
        const sorted = (timings[variant] ?? []).map((t) => t.importMs).sort((a, b) => a - b);
        const withFetch = (timings[variant] ?? []).map((t) => t.importFetchMs).sort((a, b) => a - b);
        const file = String(files[variant]);
        const figures: Figures = {
          bytes: statSync(file).size,
          mapBytes: nodejs.sourcemap ? statSync(`${file}.map`).size : 0,
          importMsMin: round(sorted[0] ?? Number.NaN),
          importMsMedian: round(percentile(sorted, 0.5)),
          importMsP90: round(percentile(sorted, 0.9)),
          importFetchMsMedian: round(percentile(withFetch, 0.5)),
        };
        return [variant, figures];
      }),
    );
    printRow(fn.name, results[fn.name] ?? {});
    process.stdout.write(`${"".padEnd(18)} adapters: ${adapters[fn.name]?.join(", ") || "none"}\n`);
  }
  const report = {
    measuredAt: new Date().toISOString(),
    node: process.version,
    cpu: `${cpus().length} x ${cpus()[0]?.model ?? "unknown"}`,
    runsPerFigure: RUNS,
    method:
      "bytes of the bundle file; import = performance.now() around import() in a fresh `node` process, variants measured round-robin; min, median, p90; +fetch = import, then Node's fetch loaded",
    variants: VARIANTS,
    results,
    adapters,
  };
  mkdirSync(join(ROOT, "bench/results"), { recursive: true });
  writeFileSync(join(ROOT, "bench/results/bundles.json"), `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write("wrote bench/results/bundles.json\n");
} finally {
  rmSync(work, { recursive: true, force: true });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

function printRow(name: string, figures: Record<string, Figures>): void {
  const cells = Object.entries(figures).map(
    ([variant, f]) =>
      `${variant} ${(f.bytes / 1024).toFixed(0)} KiB ${f.importMsMedian} ms (min ${f.importMsMin}, +fetch ${f.importFetchMsMedian})`,
  );
  process.stdout.write(`${name.padEnd(18)} ${cells.join(" | ")}\n`);
}
