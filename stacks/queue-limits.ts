// What every queue of the bridge holds: 1 MiB messages, SQS's largest, so the longest Chatwoot reply (spec §8)
// and a message with its 256 KiB body fit; and how long it keeps them. Pure, so the local queue reads the same.

/**
 * SQS MaximumMessageSize: "from 1,024 bytes (1 KiB) up to 1,048,576 bytes (1 MiB). Default: 262,144 (256 KiB)"
 * (Amazon SQS API Reference, SetQueueAttributes; raised to 1 MiB in August 2025).
 */
export const MAX_MESSAGE_BYTES = 1_048_576;

/** The queue attributes the sst.aws.Queue transform sets on a queue and its dead-letter queue alike. */
export function queueTransform(retentionSeconds: number): { messageRetentionSeconds: number; maxMessageSize: number } {
  return { messageRetentionSeconds: retentionSeconds, maxMessageSize: MAX_MESSAGE_BYTES };
}
