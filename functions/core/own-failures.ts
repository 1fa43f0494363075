// The `external_error` texts the bridge itself writes when it gives a reply up (tracked-delivery.ts,
// conversation-owner.ts): told apart from Chatwoot's own (its webhook to us failed, CONTRACT.md §4.3).

const OWN_FAILURES = [
  /^Not delivered after \d+ attempts/,
  /^The receiving system answered 410 Gone/,
  /^This contact has no external user id/,
];

export function isBridgeFailureReason(externalError: unknown): boolean {
  return typeof externalError === "string" && OWN_FAILURES.some((pattern) => pattern.test(externalError));
}
