// The sandbox data file's shape (version 1): every record as the sandbox holds it (camelCase, times in
// epoch microseconds), the id sequences, the tokens and secrets, and the attachment bytes in base64.
import { z } from "zod/mini";

export const FILE_VERSION = 1;

// Plain numbers, not z.num(): whatever the sandbox stored must load again.
const num = () => z.number();
const nullableNum = () => z.nullable(num());
const nullableText = () => z.nullable(z.string());
const jsonObject = () => z.record(z.string(), z.unknown());

const contact = z.object({
  id: num(),
  accountId: num(),
  name: z.string(),
  email: nullableText(),
  phoneNumber: nullableText(),
  identifier: nullableText(),
  blocked: z.boolean(),
  additionalAttributes: jsonObject(),
  customAttributes: jsonObject(),
  lastActivityAt: nullableNum(),
  createdAt: num(),
  updatedAt: num(),
});

const contactInbox = z.object({
  id: num(),
  contactId: num(),
  inboxId: num(),
  sourceId: z.string(),
  hmacVerified: z.boolean(),
  pubsubToken: z.string(),
  createdAt: num(),
  updatedAt: num(),
});

const conversation = z.object({
  id: num(),
  displayId: num(),
  accountId: num(),
  inboxId: num(),
  contactId: num(),
  contactInboxId: num(),
  uuid: z.string(),
  status: z.enum(["open", "resolved", "pending", "snoozed"]),
  assigneeId: nullableNum(),
  priority: nullableText(),
  snoozedUntil: nullableNum(),
  muted: z.boolean(),
  labels: z.array(z.string()),
  additionalAttributes: jsonObject(),
  customAttributes: jsonObject(),
  agentLastSeenAt: nullableNum(),
  assigneeLastSeenAt: nullableNum(),
  contactLastSeenAt: nullableNum(),
  firstReplyCreatedAt: nullableNum(),
  waitingSince: nullableNum(),
  lastActivityAt: num(),
  createdAt: num(),
  updatedAt: num(),
});

const message = z.object({
  id: num(),
  accountId: num(),
  inboxId: num(),
  conversationId: num(),
  messageType: z.enum(["incoming", "outgoing", "activity", "template"]),
  content: nullableText(),
  contentType: z.string(),
  contentAttributes: jsonObject(),
  additionalAttributes: jsonObject(),
  private: z.boolean(),
  status: z.enum(["sent", "delivered", "read", "failed"]),
  sourceId: nullableText(),
  senderType: z.nullable(z.enum(["Contact", "User"])),
  senderId: nullableNum(),
  createdAt: num(),
  updatedAt: num(),
});

const attachment = z.object({
  id: num(),
  messageId: num(),
  accountId: num(),
  fileType: z.enum(["image", "audio", "video", "file", "location", "fallback", "contact"]),
  extension: nullableText(),
  contentType: nullableText(),
  filename: nullableText(),
  blobKey: nullableText(),
  byteSize: num(),
  coordinatesLat: z.number(),
  coordinatesLong: z.number(),
  fallbackTitle: nullableText(),
  externalUrl: nullableText(),
});

const blob = z.object({ key: z.string(), filename: z.string(), contentType: z.string(), dataBase64: z.string() });

export const sandboxFileSchema = z.object({
  version: z.literal(FILE_VERSION),
  /** The blob store's URL signing key (base64), so data_url links handed out earlier keep working. */
  signingKey: z.string(),
  sequences: z.object({
    contact: num(),
    contactInbox: num(),
    conversation: num(),
    message: num(),
    attachment: num(),
    displayId: num(),
  }),
  users: z.array(z.object({ id: num(), accessToken: z.string() })),
  inbox: z.object({
    secret: nullableText(),
    hmacToken: z.string(),
    identifier: z.string(),
    createdAt: num(),
    updatedAt: num(),
  }),
  contacts: z.array(contact),
  contactInboxes: z.array(contactInbox),
  conversations: z.array(conversation),
  messages: z.array(message),
  attachments: z.array(attachment),
  blobs: z.array(blob),
});

export type SandboxFile = z.infer<typeof sandboxFileSchema>;
