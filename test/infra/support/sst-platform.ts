// Where SST's platform lives and how it gets there: `sst install` fetches it from npm into .sst/platform.
// Offline rules for the SST CLI: no dependency check, no bun, no telemetry, an explicit stage.
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
export const PLATFORM_DIR = join(ROOT, ".sst/platform");

export const SST_OFFLINE_ENV = {
  SST_SKIP_DEPENDENCY_CHECK: "true",
  SST_NO_BUN: "true",
  SST_TELEMETRY_DISABLED: "true",
};

/** The platform matches the CLI in node_modules; otherwise `sst install` must run (a fresh clone, an SST upgrade). */
export function platformIsCurrent(): boolean {
  const versionFile = join(PLATFORM_DIR, "version");
  const cliPackage: unknown = JSON.parse(readFileSync(join(ROOT, "node_modules/sst/package.json"), "utf8"));
  const cliVersion =
    typeof cliPackage === "object" && cliPackage !== null ? Reflect.get(cliPackage, "version") : undefined;
  return (
    existsSync(join(PLATFORM_DIR, "node_modules/@pulumi/pulumi")) &&
    existsSync(versionFile) &&
    readFileSync(versionFile, "utf8").trim() === cliVersion
  );
}

/** Runs `sst install --stage test`; npm's cache and SST's config dir go under .sst/, nothing outside the repository. */
export function sstInstall(): Promise<void> {
  const env = {
    ...process.env,
    ...SST_OFFLINE_ENV,
    npm_config_cache: join(ROOT, ".sst/npm-cache"),
    XDG_CONFIG_HOME: join(ROOT, ".sst/config"),
  };
  return new Promise((resolve, reject) => {
    execFile(
      join(ROOT, "node_modules/.bin/sst"),
      ["install", "--stage", "test"],
      { cwd: ROOT, env, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`sst install failed: ${error.message}\n${stdout}\n${stderr}`));
        else resolve();
      },
    );
  });
}
