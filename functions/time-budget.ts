// One invocation's time budget, shared by config.ts (CHATWOOT_TIMEOUT_MS's bound), the Lambda deadline
// (compose/lambda-deadline.ts) and stacks/function-settings.ts, so the three cannot disagree (docs/infra.md).

/** API Gateway HTTP APIs wait at most 30 s for an integration: the functions that call Chatwoot stop a second before. */
export const CHATWOOT_ROUTE_TIMEOUT_SECONDS = 29;
/** Kept after the last wait of an invocation: the DynamoDB writes that record the outcome, and the answer. */
export const INVOCATION_RESERVE_MS = 1_500;
/** A new user's first message makes two Chatwoot calls one after the other: the contact, then the conversation. */
const SEQUENTIAL_CHATWOOT_CALLS = 2;
/** The largest CHATWOOT_TIMEOUT_MS with which both calls still fit the 29 s, the reserve kept: 13 750 ms. */
export const MAX_CHATWOOT_TIMEOUT_MS = Math.floor(
  (CHATWOOT_ROUTE_TIMEOUT_SECONDS * 1000 - INVOCATION_RESERVE_MS) / SEQUENTIAL_CHATWOOT_CALLS,
);
/**
 * Upload speed planned for towards Chatwoot: a message's attachments get CHATWOOT_TIMEOUT_MS plus their size at this
 * rate (50 MB: +10 s), never past the invocation's deadline.
 */
export const UPLOAD_BYTES_PER_SECOND = 5 * 1024 * 1024;
