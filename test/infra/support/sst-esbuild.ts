// esbuild options as SST's CLI builds a Node.js function (sst/sst pkg/runtime/node/build.go, v4): bundled ESM
// with a require/__dirname banner, keepNames, module-first resolution, `nodejs` settings applied on top.
// Shared by the fake CLI of the infra tests and bench/bundle.ts, so both bundle the way a deploy does. `plugins`
// names a file (relative to sst.config.ts) whose default export is a list of esbuild plugins: the CLI runs them
// through .sst/platform/functions/nodejs-runtime/plugin.mjs, here they are handed to esbuild directly.
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { BuildOptions, Plugin } from "esbuild";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

export interface NodejsBundling {
  format?: "esm" | "cjs";
  minify?: boolean;
  sourcemap?: boolean;
  esbuild?: { target?: string; external?: readonly string[] };
  install?: readonly string[];
  plugins?: string;
}

/** SST never bundles these native packages. */
const FORCE_EXTERNAL = ["sharp", "pg-native"];

const ESM_BANNER = [
  `import { createRequire as topLevelCreateRequire } from 'module';`,
  `const require = topLevelCreateRequire(import.meta.url);`,
  `import { fileURLToPath as topLevelFileUrlToPath, URL as topLevelURL } from "url"`,
  `const __filename = topLevelFileUrlToPath(import.meta.url)`,
  `const __dirname = topLevelFileUrlToPath(new topLevelURL(".", import.meta.url))`,
].join("\n");

export async function sstBuildOptions(entry: string, outfile: string, nodejs: NodejsBundling): Promise<BuildOptions> {
  if (nodejs.format === "cjs") throw new Error("Only SST's ESM build is mirrored here");
  const plugins = nodejs.plugins ? await loadPlugins(nodejs.plugins) : [];
  const minify = nodejs.minify ?? true;
  return {
    entryPoints: [entry],
    outfile,
    platform: "node",
    bundle: true,
    keepNames: true,
    metafile: true,
    write: true,
    format: "esm",
    target: nodejs.esbuild?.target ?? "esnext",
    mainFields: ["module", "main"],
    banner: { js: ESM_BANNER },
    external: [...FORCE_EXTERNAL, ...(nodejs.install ?? []), ...(nodejs.esbuild?.external ?? [])],
    minifyWhitespace: minify,
    minifySyntax: minify,
    minifyIdentifiers: minify,
    sourcemap: nodejs.sourcemap ? "linked" : false,
    logLevel: "silent",
    ...(plugins.length > 0 ? { plugins } : {}),
  };
}

async function loadPlugins(file: string): Promise<Plugin[]> {
  const loaded: unknown = await import(pathToFileURL(join(ROOT, file)).href);
  const plugins: unknown = typeof loaded === "object" && loaded !== null ? Reflect.get(loaded, "default") : undefined;
  if (!Array.isArray(plugins) || !plugins.every(isPlugin))
    throw new Error(`${file} must export a list of esbuild plugins as its default`);
  return plugins;
}

function isPlugin(value: unknown): value is Plugin {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof Reflect.get(value, "name") === "string" &&
    typeof Reflect.get(value, "setup") === "function"
  );
}
