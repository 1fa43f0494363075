// vitest globalSetup: a fresh clone (CI: `npm ci` only) has no .sst/platform, which the infra tests and the
// type-check of sst.config.ts need. Installs it once per run, offline apart from the npm registry.
import { platformIsCurrent, sstInstall } from "./support/sst-platform.js";

export default async function setup(): Promise<void> {
  if (platformIsCurrent()) return;
  const started = performance.now();
  await sstInstall();
  process.stdout.write(
    `sst install (platform for the infra tests) took ${Math.round(performance.now() - started)} ms\n`,
  );
}
