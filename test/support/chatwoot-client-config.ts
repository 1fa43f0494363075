// The Chatwoot client's configuration in its unit tests: a host that never resolves, so only an injected fetch answers.
export const CHATWOOT_CLIENT_CONFIG = {
  chatwootBaseUrl: new URL("http://chatwoot.invalid"),
  chatwootAccountId: 3,
  chatwootInboxId: 12,
  chatwootApiToken: "token-for-tests",
  chatwootTimeoutMs: 1000,
};
