// Counts the items in a local bridge's mapping table, so a refusal test can prove nothing at all was written
// (no mapping, no idempotency claim), not just that one user has no mapping.
import { DynamoDBClient, ScanCommand } from "@aws-sdk/client-dynamodb";
import type { Config } from "../../functions/config.js";

export async function tableItemCount(config: Pick<Config, "dynamodbEndpoint" | "tableName">): Promise<number> {
  if (!config.dynamodbEndpoint) throw new Error("this bridge has no local DynamoDB endpoint");
  const client = new DynamoDBClient({
    endpoint: config.dynamodbEndpoint.href,
    region: "local",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  try {
    const answer = await client.send(new ScanCommand({ TableName: config.tableName, Select: "COUNT" }));
    return answer.Count ?? 0;
  } finally {
    client.destroy();
  }
}
