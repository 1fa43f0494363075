import { defineConfig } from "vitest/config";
import { SlowFirstSequencer } from "./test/slow-first-sequencer.js";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Installs SST's platform (.sst/platform) when missing and starts the service that runs each mocked deploy
    // of the real sst.config.ts once per test run for the infra tests.
    globalSetup: ["test/infra/global-setup.ts"],
    env: {
      // AWS SDK v3 prints a ten-line NodeVersionSupportWarning in every process that loads it on Node 20, which
      // the tests run on locally; Lambda runs nodejs22.x. The warning says nothing about the code under test.
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    },
    // Integration tests start servers on ephemeral 127.0.0.1 ports; two cores, so keep forks modest. Measured on
    // the shared 2-core machine: 2 workers 100-121 s, 3 workers 87-128 s; no clear gain, more CPU contention.
    pool: "forks",
    maxWorkers: 2,
    // The infra files first: their deploys run beside the other files instead of after them.
    sequence: { sequencer: SlowFirstSequencer },
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
