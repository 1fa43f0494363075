// The mapping table's shape as plain data (no SST globals, no imports): read by stacks/storage.ts
// for AWS and by dev/embedded-store.ts for the local store, so both runtimes build the same table.
// Access patterns, item shapes and conditions: docs/mapping-table.md.

export const mappingTable = {
  /** One partition key, no sort key and no index: every lookup is by a known key, strongly consistent. */
  hashKey: "pk",
  attributes: { pk: "string" },
  /** Epoch seconds; DynamoDB deletes expired message and event-key items within about 48 hours. */
  ttl: "expiresAt",
} as const;

/** DynamoDB's attribute type letters, for CreateTable outside SST (SST takes the words above). */
export const dynamoAttributeTypes = { string: "S", number: "N", binary: "B" } as const;
