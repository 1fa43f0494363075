// esbuild options as SST's CLI builds a Node.js function (sst/sst pkg/runtime/node/build.go, v4): bundled ESM
// with a require/__dirname banner, keepNames, module-first resolution, `nodejs` settings applied on top.
// Shared by the fake CLI of the infra tests and bench/bundle.ts, so both bundle the way a deploy does.
import type { BuildOptions } from "esbuild";

export interface NodejsBundling {
  format?: "esm" | "cjs";
  minify?: boolean;
  sourcemap?: boolean;
  esbuild?: { target?: string; external?: readonly string[] };
  install?: readonly string[];
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

export function sstBuildOptions(entry: string, outfile: string, nodejs: NodejsBundling): BuildOptions {
  if (nodejs.format === "cjs") throw new Error("Only SST's ESM build is mirrored here");
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
  };
}
