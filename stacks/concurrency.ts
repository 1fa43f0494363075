// Concurrency limits that keep our calls under Chatwoot's 3000 requests/min per client IP (CONTRACT.md §5).
// Every function may leave AWS through the same IP, and each instance has at most one Chatwoot call in
// flight (the domain calls Chatwoot one step after another), so calls/min <= instances x 60000 / fastest call.
// Pure: no SST globals. The reasoning and its limits are in docs/infra.md.

/** Rack::Attack `req/ip`, Chatwoot's default RACK_ATTACK_LIMIT. */
export const CHATWOOT_REQUESTS_PER_MINUTE = 3000;
/** The fastest Chatwoot round trip we plan for: a Rails write (contact, conversation, message) over TLS keep-alive. */
export const CHATWOOT_FASTEST_CALL_MS = 120;

/** Reserved concurrency of each HTTP function that calls Chatwoot, by manifest name. */
export const RESERVED_CONCURRENCY: Readonly<Record<string, number>> = {
  MessagesPost: 2,
  ContactsPost: 1,
  ConversationsPost: 1,
};

/** The delivery worker's event source limit (2 is SQS's minimum); it does not use the account's reserved pool. */
export const WORKER_MAX_CONCURRENCY = 2;

/** The most Chatwoot requests per minute `instances` concurrent callers can make at the fastest round trip. */
export function chatwootCallsPerMinuteCeiling(instances: number): number {
  return Math.floor((instances * 60_000) / CHATWOOT_FASTEST_CALL_MS);
}
