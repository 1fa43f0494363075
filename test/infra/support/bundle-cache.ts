// Function bundles shared by every mocked deploy of one test run: a handler's bundle depends only on its source
// and its `nodejs` settings (stage, environment and links reach it at run time), so esbuild runs once per
// (entry, settings) and each function package gets a copy. Seven builds were half of every deploy's time.
import { copyFileSync, existsSync, mkdirSync } from "node:fs";
import { basename, join } from "node:path";
import { build, type Metafile } from "esbuild";
import { adapterModules } from "../../../bench/bundle-adapters.js";
import { ROOT } from "./sst-platform.js";
import { sstBuildOptions, type NodejsBundling } from "./sst-esbuild.js";

export interface Bundle {
  /** What the bundle's entry exports (esbuild metafile). */
  exports: string[];
  bytes: number;
  /** The adapter files (functions/adapters/) the bundle holds. */
  adapters: string[];
  /** The npm packages the bundle holds (`@aws-sdk/client-dynamodb`, `zod`), sorted. */
  packages: string[];
}

export class BundleCache {
  private readonly built = new Map<string, Promise<{ file: string; bundle: Bundle }>>();

  constructor(private readonly dir: string) {}

  /** Writes the bundle of `entry` to `outfile` (and its source map, if any); rejects with esbuild's error. */
  async bundleTo(entry: string, outfile: string, nodejs: NodejsBundling): Promise<Bundle> {
    const key = JSON.stringify([entry, nodejs]);
    let pending = this.built.get(key);
    if (pending === undefined) {
      pending = this.build(entry, join(this.dir, String(this.built.size), basename(outfile)), nodejs);
      this.built.set(key, pending);
    }
    const { file, bundle } = await pending;
    mkdirSync(join(outfile, ".."), { recursive: true });
    copyFileSync(file, outfile);
    if (existsSync(`${file}.map`)) copyFileSync(`${file}.map`, `${outfile}.map`);
    return bundle;
  }

  private async build(entry: string, file: string, nodejs: NodejsBundling): Promise<{ file: string; bundle: Bundle }> {
    const result = await build(await sstBuildOptions(entry, file, nodejs));
    const output = Object.values(result.metafile?.outputs ?? {}).find((o) => o.entryPoint !== undefined);
    const adapters = result.metafile ? adapterModules(result.metafile, ROOT) : [];
    const packages = result.metafile ? bundledPackages(result.metafile) : [];
    return { file, bundle: { exports: output?.exports ?? [], bytes: output?.bytes ?? 0, adapters, packages } };
  }
}

function bundledPackages(metafile: Metafile): string[] {
  const names = Object.keys(metafile.inputs).map((input) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1]);
  return [...new Set(names.filter((name): name is string => name !== undefined))].sort();
}
