// Which adapter modules a function's bundle holds, read from esbuild's metafile: each Lambda entry builds only
// the adapters its route uses, so a bundle should hold only those (bench/bundle.ts prints them, a test asserts).
import { relative, resolve } from "node:path";
import { type BuildOptions, build, type Metafile } from "esbuild";

const ADAPTERS = "functions/adapters/";

/** Adapter file names (e.g. `sqs-queue.ts`) among the metafile's inputs, sorted. */
export function adapterModules(metafile: Metafile, root: string, workingDir = process.cwd()): string[] {
  return Object.keys(metafile.inputs)
    .map((input) => relative(root, resolve(workingDir, input)))
    .filter((path) => path.startsWith(ADAPTERS))
    .map((path) => path.slice(ADAPTERS.length))
    .sort();
}

/** Bundles without writing, as `options` say, and lists the adapters the bundle holds. */
export async function bundledAdapters(options: BuildOptions, root: string): Promise<string[]> {
  const result = await build({ ...options, write: false, metafile: true });
  return adapterModules(result.metafile, root, options.absWorkingDir);
}
