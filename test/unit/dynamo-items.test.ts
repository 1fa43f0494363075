// Store items read through their schemas: a record holds exactly what the port says, and a malformed item is a
// StoreError naming no key or value, never a half-typed record.
import { describe, expect, it } from "vitest";
import { toMessageRecord, toUserRecord } from "../../functions/adapters/dynamo-items.js";

const user = { pk: "user#u-42", userId: "u-42", contactId: 4821, sourceId: "src-42", updatedAt: 1 };

describe("store items", () => {
  it("reads a user item into its record, leaving out the attributes the record does not hold", () => {
    expect(
      toUserRecord({ ...user, conversationId: 287, conversationStatus: "snoozed", leaseOwner: "owner-a" }),
    ).toStrictEqual({
      userId: "u-42",
      mapping: {
        userId: "u-42",
        contactId: 4821,
        sourceId: "src-42",
        conversationId: 287,
        conversationStatus: "snoozed",
      },
    });
  });

  it.each([
    ["a contact without its source id", { ...user, sourceId: undefined }],
    ["a status outside Chatwoot's four", { ...user, conversationStatus: "closed" }],
    ["a lease without its owner", { userId: "u-42", leaseUntil: 5 }],
    ["a fractional contact id", { ...user, contactId: 48.21 }],
  ])("refuses %s as a malformed item", (_name, item) => {
    expect(() => toUserRecord(item)).toThrow(
      expect.objectContaining({ name: "StoreError", operation: "read item", code: "malformed_item" }),
    );
  });

  it("refuses a message record whose state or result is not ours", () => {
    const record = { userId: "u-42", messageId: "m-1", fingerprint: "fp", state: "done", expiresAt: 1_900_000_000 };
    expect(toMessageRecord({ pk: "msg#x", ...record })).toStrictEqual(record);
    expect(() => toMessageRecord({ ...record, state: "sent" })).toThrow("malformed_item");
    expect(() => toMessageRecord({ ...record, result: { messageId: "m-1" } })).toThrow("malformed_item");
  });
});
