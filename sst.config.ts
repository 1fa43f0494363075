/// <reference path="./.sst/platform/config.d.ts" />
// The SST app: app() names it and protects production; run() only loads stacks/ (SST refuses top-level
// imports here) and prints the two URLs a deployer needs.

/** Stages whose data outlives `sst remove` and which `sst remove` refuses outright. */
const PROTECTED_STAGES = ["prod", "production"];

export default $config({
  app(input) {
    const isProtected = PROTECTED_STAGES.includes(input.stage);
    return {
      name: "chatwoot-bridge",
      home: "aws",
      removal: isProtected ? "retain" : "remove",
      protect: isProtected,
      // Pinned so every machine deploys with the provider the offline tests ran against.
      providers: { aws: "7.20.0" },
    };
  },
  async run() {
    const { settings } = await import("./stacks/settings");
    await import("./stacks/secrets");
    await import("./stacks/storage");
    const { api } = await import("./stacks/api");
    await import("./stacks/delivery");
    await import("./stacks/inbound");
    await import("./stacks/sweep");
    await import("./stacks/alarms");
    await import("./stacks/dashboard");
    const { webhookUrl } = await import("./stacks/outputs");
    return {
      apiUrl: api.url,
      chatwootWebhookUrl: webhookUrl(api.url, settings.allowUnsigned),
    };
  },
});
