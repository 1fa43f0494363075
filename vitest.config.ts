import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Installs SST's platform (.sst/platform) when missing: the infra tests run the real sst.config.ts.
    globalSetup: ["test/infra/global-setup.ts"],
    // Integration tests start servers on ephemeral 127.0.0.1 ports; two cores, so keep forks modest.
    pool: "forks",
    maxWorkers: 2,
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
