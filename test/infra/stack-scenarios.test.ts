// The real sst.config.ts under Pulumi mocks with other deploy inputs: a production stage, unsigned webhooks,
// an alarm address; and the refusals that stop a deploy with a clear message. Each
// distinct input is one run for the whole test run (support/stack-service.ts); the typical deploy is shared.
import { describe, expect, it } from "vitest";
import { API_ENDPOINT } from "./support/mock-runner.js";
import { stackRunFor } from "./support/shared-stack.js";
import { DEPLOY_ENV, SECRETS, TYPICAL_DEPLOY, resource } from "./support/stack-queries.js";

describe("a production stage with unsigned webhooks and an alarm address", () => {
  it("protects the stage, prints the webhook URL with a token placeholder and mails alarms", async () => {
    const run = await stackRunFor({
      stage: "prod",
      env: {
        ...DEPLOY_ENV,
        CHATWOOT_WEBHOOK_ALLOW_UNSIGNED: "true",
        DEPLOY_ALARM_EMAIL: "ops@example.com",
      },
      secrets: SECRETS,
    });
    expect(run.errors).toEqual([]);
    expect([run.app.removal, run.app.protect]).toEqual(["retain", true]);
    expect(resource(run, "aws:dynamodb/table:Table", "MappingTableTable").deletionProtectionEnabled).toBe(true);
    expect(run.outputs).toEqual({
      apiUrl: API_ENDPOINT,
      chatwootWebhookUrl: `${API_ENDPOINT}/webhooks/chatwoot?token=<ChatwootWebhookSecret>`,
      _protect: true,
    });
    expect(JSON.stringify(run.outputs)).not.toContain(SECRETS.ChatwootWebhookSecret);
    const subscription = resource(run, "aws:sns/topicSubscription:TopicSubscription", "AlertsEmail");
    expect([subscription.protocol, subscription.endpoint]).toEqual(["email", "ops@example.com"]);
    expect(resource(run, "aws:lambda/function:Function", "ChatwootWebhookFunction").environment).toEqual({
      variables: expect.objectContaining({ CHATWOOT_WEBHOOK_ALLOW_UNSIGNED: "true" }),
    });
  }, 120_000);

  it("keeps the default for other stages (the typical deploy's `test`): removable, unprotected", async () => {
    const run = await stackRunFor(TYPICAL_DEPLOY);
    expect([run.errors, run.app.removal, run.app.protect, run.outputs._protect]).toEqual([[], "remove", false, false]);
  }, 120_000);
});

describe("refused deploys", () => {
  it("stops before creating anything when the shell lacks required variables, naming each", async () => {
    const run = await stackRunFor({ env: { CHATWOOT_ACCOUNT_ID: "one" }, secrets: SECRETS });
    expect(run.errors).toEqual([
      [
        "chatwoot-bridge cannot deploy; fix these variables in the deploying shell (README: Deploying to AWS):",
        "  - CHATWOOT_BASE_URL is required in AWS",
        "  - CHATWOOT_ACCOUNT_ID must be a positive integer",
        "  - CHATWOOT_INBOX_ID is required",
        "  - DELIVERY_URL is required in AWS",
      ].join("\n"),
    ]);
    expect(run.resources.map((r) => r.type)).toEqual(["pulumi:pulumi:Stack"]);
  }, 120_000);

  it("fails the deploy on a malformed secret, naming it and not its value", async () => {
    const run = await stackRunFor({ env: DEPLOY_ENV, secrets: { ...SECRETS, DeliverySecret: "not-a-whsec-value" } });
    expect(run.errors).toEqual([
      "chatwoot-bridge cannot deploy; fix these secrets with `npx sst secret set` (README: Deploying to AWS):\n  - DeliverySecret (DELIVERY_SECRET) must be whsec_ followed by base64 of at least 24 bytes",
    ]);
  }, 120_000);

  it("fails the deploy on a secret never set, with SST's instruction", async () => {
    const { BridgeApiKey: _unset, ...others } = SECRETS;
    const run = await stackRunFor({ env: DEPLOY_ENV, secrets: others });
    expect(run.errors).toContain("Set a value for BridgeApiKey with `sst secret set BridgeApiKey <value>`");
  }, 120_000);
});
