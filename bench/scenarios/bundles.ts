// Bundle size and cold import of every function as deployed: the same pieces bench/bundle.ts (the infra
// engineer's full comparison of bundling variants) builds on: SST's esbuild options (test/infra/support/
// sst-esbuild.ts) with the stack's NODEJS_BUNDLING, then a fresh node process per import (cold-import.ts), median of
// IMPORTS.
import { mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build, type Metafile } from "esbuild";
import { NODEJS_BUNDLING } from "../../stacks/function-settings.js";
import { deliveryWorker, routes } from "../../stacks/routes.js";
import { sstBuildOptions } from "../../test/infra/support/sst-esbuild.js";
import { adapterModules } from "../bundle-adapters.js";
import { coldImport } from "../cold-import.js";
import { median, round } from "../stats.js";
import type { BundleFigure } from "../targets.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
/** Fresh processes per function: the issue asks for a median of at least 10. */
const IMPORTS = 11;

/** How many of a bundle's largest packages the report names. */
const LARGEST = 6;

/** A deployed bundle's figures, the adapter modules it holds (functions/adapters/ files) and its largest parts. */
export interface DeployedBundle extends BundleFigure {
  adapters: string[];
  /** The largest packages (node_modules) or repository folders in the bundle, bytes in the output (esbuild metafile). */
  largest: Array<{ module: string; bytes: number }>;
}

export async function measureDeployedBundles(imports = IMPORTS): Promise<DeployedBundle[]> {
  const functions = [...routes, deliveryWorker].map((fn) => ({ name: fn.name, handler: fn.handler }));
  const work = mkdtempSync(join(tmpdir(), "cwb-bench-bundles-"));
  try {
    const figures: DeployedBundle[] = [];
    for (const fn of functions) {
      const outfile = join(work, fn.name, "index.mjs");
      mkdirSync(join(work, fn.name), { recursive: true });
      const built = await build(await sstBuildOptions(join(ROOT, `${fn.handler}.ts`), outfile, NODEJS_BUNDLING));
      const adapters = built.metafile ? adapterModules(built.metafile, ROOT) : [];
      const largest = built.metafile ? largestModules(built.metafile, ROOT) : [];
      const timings = Array.from({ length: imports }, () => coldImport(outfile));
      figures.push({
        name: fn.name,
        bytes: statSync(outfile).size,
        importMsMedian: round(median(timings.map((t) => t.importMs)), 1),
        importFetchMsMedian: round(median(timings.map((t) => t.importFetchMs)), 1),
        adapters,
        largest,
      });
    }
    return figures;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Output bytes per package (node_modules/<name>) or per repository folder (functions/edge…), largest first. */
function largestModules(metafile: Metafile, root: string): DeployedBundle["largest"] {
  const bytes = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [file, input] of Object.entries(output.inputs)) {
      const path = file.startsWith(root) ? file.slice(root.length) : file;
      const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1];
      const module = pkg ?? path.split("/").slice(0, 2).join("/");
      bytes.set(module, (bytes.get(module) ?? 0) + input.bytesInOutput);
    }
  }
  return [...bytes.entries()]
    .map(([module, size]) => ({ module, bytes: size }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, LARGEST);
}
