// vitest globalSetup: a fresh clone (CI: `npm ci` only) has no .sst/platform, which the infra tests and the
// type-check of sst.config.ts need: installs it once per run, offline apart from the npm registry, saying so
// first (it takes a minute or two, silent otherwise). Then starts the service that runs each mocked deploy
// the infra tests ask for once (support/stack-service.ts).
import type { TestProject } from "vitest/node";
import { platformIsCurrent, sstInstall } from "./support/sst-platform.js";
import { startStackService } from "./support/stack-service.js";

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (!platformIsCurrent()) {
    process.stdout.write("Installing SST's platform into .sst/platform (sst install: Pulumi and its providers)…\n");
    const started = performance.now();
    await sstInstall();
    process.stdout.write(`sst install took ${Math.round((performance.now() - started) / 1000)} s\n`);
  }
  const service = await startStackService();
  project.provide("stackService", service.url);
  // Watch mode: the sources may have changed since the last runs.
  project.onTestsRerun(() => service.forget());
  return () => service.close();
}
