// Runs the real sst.config.ts offline, the way `sst deploy` does but under Pulumi mocks: evaluates app(),
// bundles the program as the SST CLI does (sst/sst pkg/project/stack.go, pkg/js/js.go), and runs it in a
// fresh node process against a fake CLI (fake-cli.ts). Returns what the program registered. Tests do not call it:
// they ask stack-service.ts, which runs each distinct deploy once per test run.
import { execFile } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { build } from "esbuild";
import type { BundleCache } from "./bundle-cache.js";
import { startFakeCli, isRecord, type BuildRecord } from "./fake-cli.js";
import type { MockRun } from "./mock-runner.js";
import { PLATFORM_DIR, ROOT } from "./sst-platform.js";

export interface StackRun extends MockRun {
  builds: BuildRecord[];
  app: Record<string, unknown>;
}

export interface StackRunOptions {
  stage?: string;
  /** The deploying shell's variables; nothing else from this process's environment reaches the program. */
  env?: Record<string, string>;
  /** `sst secret set` values, by SST name. */
  secrets?: Record<string, string>;
}

export interface StackRunPlace {
  /** An empty directory for the function packages, which the caller keeps (cold starts run them) and removes. */
  work: string;
  bundles: BundleCache;
}

/** Bundled with the program, as `sst.config.ts`'s imports are; resolved from .sst/platform at run time. */
const EXTERNAL = [
  "@pulumi/*",
  "undici",
  "@pulumiverse/*",
  "@sst-provider/*",
  "@aws-sdk/*",
  "esbuild",
  "archiver",
  "glob",
  "vite",
];
const PROVIDER_GLOBALS = [
  `import * as aws from "@pulumi/aws";`,
  `import * as sst from "${join(PLATFORM_DIR, "src/components")}";`,
].join("\n");
const HARNESS = join(ROOT, "test/infra/support/");

export async function runStack(options: StackRunOptions, { work, bundles }: StackRunPlace): Promise<StackRun> {
  const stage = options.stage ?? "test";
  // Several deploys may bundle at once: the file name must be unique within this process too.
  const programFile = join(PLATFORM_DIR, `infra-test.${process.pid}.${basename(work)}.mjs`);
  const cli = await startFakeCli({ root: ROOT, work, bundles });
  try {
    const app = { ...(await evaluateApp(stage)), stage };
    await bundleProgram(programFile, app, work);
    const resultFile = join(work, "result.json");
    const stderr = await runChild(programFile, {
      ...childEnv(options),
      SST_SERVER: cli.url,
      INFRA_RESULT_FILE: resultFile,
    });
    const parsed: unknown = existsSync(resultFile) ? JSON.parse(readFileSync(resultFile, "utf8")) : undefined;
    if (!isMockRun(parsed)) throw new Error(`The mock run wrote no result:\n${stderr}`);
    return { ...parsed, builds: cli.builds, app };
  } finally {
    await cli.close();
    rmSync(programFile, { force: true });
    rmSync(`${programFile}.map`, { force: true });
  }
}

/** The CLI evaluates app() first, with $config as the identity function. */
async function evaluateApp(stage: string): Promise<Record<string, unknown>> {
  Reflect.set(globalThis, "$config", (config: unknown) => config);
  const configPath = join(ROOT, "sst.config.ts");
  const module: unknown = await import(configPath);
  const config = isRecord(module) && isRecord(module.default) ? module.default : {};
  const app = typeof config.app === "function" ? await Promise.resolve(config.app.call(config, { stage })) : undefined;
  if (!isRecord(app)) throw new Error("sst.config.ts: app() returned no object");
  return app;
}

async function bundleProgram(outfile: string, app: Record<string, unknown>, work: string): Promise<void> {
  const cliState = {
    command: "deploy",
    dev: false,
    paths: { home: work, root: ROOT, work, platform: PLATFORM_DIR },
    state: { version: {} },
  };
  await build({
    stdin: {
      contents: [
        `import { runUnderMocks } from "${join(HARNESS, "mock-runner.ts")}";`,
        `await runUnderMocks(async () => {`,
        `  const { run } = await import("${join(PLATFORM_DIR, "src/auto/run.ts")}");`,
        `  const mod = await import("${join(ROOT, "sst.config.ts")}");`,
        `  return { run, config: mod.default };`,
        `});`,
      ].join("\n"),
      resolveDir: ROOT,
      sourcefile: "eval.ts",
      loader: "ts",
    },
    outfile,
    bundle: true,
    format: "esm",
    platform: "node",
    mainFields: ["module", "main"],
    sourcemap: "linked",
    nodePaths: [join(PLATFORM_DIR, "node_modules")],
    external: EXTERNAL,
    inject: [join(PLATFORM_DIR, "src/shim/run.js")],
    define: { $app: JSON.stringify(app), $cli: JSON.stringify(cliState), $dev: "false" },
    banner: {
      js: [
        `import { createRequire as topLevelCreateRequire } from 'module';`,
        `const require = topLevelCreateRequire(import.meta.url);`,
        `import { fileURLToPath as topLevelFileUrlToPath, URL as topLevelURL } from "url"`,
        `const __filename = topLevelFileUrlToPath(import.meta.url)`,
        `const __dirname = topLevelFileUrlToPath(new topLevelURL(".", import.meta.url))`,
      ].join("\n"),
    },
    plugins: [
      {
        // As the CLI's InjectGlobals: every file outside .sst sees `aws` and `sst` (not this harness).
        name: "inject-globals",
        setup(pluginBuild) {
          pluginBuild.onLoad({ filter: /\.(js|ts|jsx|tsx)$/ }, (args) => {
            if (args.path.includes("/.sst/") || args.path.startsWith(HARNESS) || args.path.includes("/node_modules/"))
              return undefined;
            return { contents: `${PROVIDER_GLOBALS}\n${readFileSync(args.path, "utf8")}`, loader: "default" };
          });
        },
      },
    ],
    logLevel: "silent",
  });
}

function childEnv(options: StackRunOptions): Record<string, string> {
  const secrets = Object.fromEntries(
    Object.entries(options.secrets ?? {}).map(([name, value]) => [`SST_SECRET_${name}`, value]),
  );
  return {
    PATH: process.env.PATH ?? "",
    HOME: tmpdir(),
    NODE_OPTIONS: "--enable-source-maps",
    ...options.env,
    ...secrets,
  };
}

/**
 * Resolves with the child's stderr. Its exit code is not the verdict: after a failed program Pulumi's exit hook
 * reports the promises it left pending; the result file says what happened.
 */
function runChild(programFile: string, env: Record<string, string>): Promise<string> {
  return new Promise((resolve) => {
    // A guard against a hung child, not an assertion: a normal run takes seconds.
    execFile(
      process.execPath,
      [programFile],
      { cwd: ROOT, env, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 },
      (_error, _stdout, stderr) => resolve(stderr),
    );
  });
}

export function isStackRun(value: unknown): value is StackRun {
  return isMockRun(value) && Array.isArray(Reflect.get(value, "builds")) && isRecord(Reflect.get(value, "app"));
}

function isMockRun(value: unknown): value is MockRun {
  return (
    isRecord(value) &&
    Array.isArray(value.resources) &&
    Array.isArray(value.calls) &&
    Array.isArray(value.errors) &&
    isRecord(value.outputs)
  );
}
