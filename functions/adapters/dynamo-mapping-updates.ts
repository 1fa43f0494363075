// The mapping's UpdateItem expressions (docs/mapping-table.md): a (user, thread)'s saved mapping, the user's thread
// list, and a conversation the bridge did not create recorded for a (user, thread).
import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { Mapping } from "../core/ports.js";
import { type Item, userKey } from "./dynamo-items.js";
import { namesIn } from "./dynamo-requests.js";

export interface Update {
  /** SET and REMOVE clauses, with `#field` placeholders. */
  expression: string;
  condition: string;
  values?: Item;
}

/** Writes the mapping and frees the lease, conditioned on `owner`. */
export function savedMappingUpdate(mapping: Mapping, owner: string): Update {
  const set = ["#userId = :userId", "#contactId = :contactId", "#sourceId = :sourceId", "#updatedAt = :now"];
  // leaseOwner stays as the last holder, so an SDK retry of this very write still passes the condition.
  const remove = ["#leaseUntil"];
  const values: Item = {
    ":userId": mapping.userId,
    ":contactId": mapping.contactId,
    ":sourceId": mapping.sourceId,
    ":now": Date.now(),
    ":owner": owner,
  };
  if (mapping.threadId !== undefined) {
    set.push("#threadId = :threadId");
    values[":threadId"] = mapping.threadId;
  }
  // Absent optional fields are removed: a mapping without a conversation forgets the old one.
  const optional: Item = {
    conversationId: mapping.conversationId,
    conversationStatus: mapping.conversationStatus,
    conversationUnknown: mapping.conversationUnknown,
  };
  for (const [field, value] of Object.entries(optional)) {
    if (value === undefined) {
      remove.push(`#${field}`);
    } else {
      set.push(`#${field} = :${field}`);
      values[`:${field}`] = value;
    }
  }
  return { expression: `SET ${set.join(", ")} REMOVE ${remove.join(", ")}`, condition: "#leaseOwner = :owner", values };
}

/** Lists a thread on its user's default item: without a sort key, threads cannot be queried. */
export function threadListCommand(table: string, userId: string, threadId: string): UpdateCommand {
  return new UpdateCommand({
    TableName: table,
    Key: { pk: userKey(userId) },
    UpdateExpression: "ADD #threadIds :threadIds",
    ExpressionAttributeNames: { "#threadIds": "threadIds" },
    ExpressionAttributeValues: { ":threadIds": new Set([threadId]) },
  });
}

/** No condition: a known (user, thread) keeps its contact fields, an unknown user gets the event's contact. */
export function adoptCommand(table: string, mapping: Mapping & { conversationId: number }): UpdateCommand {
  const status = mapping.conversationStatus === undefined ? "" : ", #conversationStatus = :status";
  const expression =
    "SET #userId = :userId, #conversationId = :conversationId, #contactId = if_not_exists(#contactId, :contactId), " +
    `#sourceId = if_not_exists(#sourceId, :sourceId)${status} REMOVE #conversationUnknown`;
  return new UpdateCommand({
    TableName: table,
    Key: { pk: userKey(mapping.userId, mapping.threadId) },
    UpdateExpression: expression,
    ExpressionAttributeNames: namesIn(expression),
    ExpressionAttributeValues: {
      ":userId": mapping.userId,
      ":conversationId": mapping.conversationId,
      ":contactId": mapping.contactId,
      ":sourceId": mapping.sourceId,
      ...(mapping.conversationStatus === undefined ? {} : { ":status": mapping.conversationStatus }),
    },
  });
}
