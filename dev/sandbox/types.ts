// The sandbox's in-memory records: Chatwoot's tables as plain camelCase objects.
// Times are epoch microseconds (integers), so views can print unix seconds, ISO millis or float seconds.

export type ConversationStatus = "open" | "resolved" | "pending" | "snoozed";
export type MessageType = "incoming" | "outgoing" | "activity" | "template";
export type MessageStatus = "sent" | "delivered" | "read" | "failed";
export type FileType = "image" | "audio" | "video" | "file" | "location" | "fallback" | "contact";
export type JsonObject = { [key: string]: unknown };

export interface Account {
  id: number;
  name: string;
}

export interface User {
  id: number;
  name: string;
  email: string;
  role: "administrator" | "agent";
  accessToken: string;
  availabilityStatus: "online" | "busy" | "offline";
}

export interface Inbox {
  id: number;
  accountId: number;
  channelId: number;
  name: string;
  channelType: "Channel::Api";
  webhookUrl: string | null;
  /** The webhook signing secret (`channel_api.secret`); null imitates a Chatwoot older than v4.13. */
  secret: string | null;
  hmacToken: string;
  identifier: string;
  hmacMandatory: boolean;
  lockToSingleConversation: boolean;
  enableAutoAssignment: boolean;
  additionalAttributes: JsonObject;
  memberIds: number[];
  createdAt: number;
  updatedAt: number;
}

export interface Contact {
  id: number;
  accountId: number;
  name: string;
  email: string | null;
  phoneNumber: string | null;
  identifier: string | null;
  blocked: boolean;
  additionalAttributes: JsonObject;
  customAttributes: JsonObject;
  lastActivityAt: number | null;
  createdAt: number;
  updatedAt: number;
}

export interface ContactInbox {
  id: number;
  contactId: number;
  inboxId: number;
  sourceId: string;
  hmacVerified: boolean;
  pubsubToken: string;
  createdAt: number;
  updatedAt: number;
}

export interface Conversation {
  /** Database id: never shown; every URL and JSON `id` uses `displayId` (CONTRACT.md §2.0). */
  id: number;
  displayId: number;
  accountId: number;
  inboxId: number;
  contactId: number;
  contactInboxId: number;
  uuid: string;
  status: ConversationStatus;
  assigneeId: number | null;
  priority: string | null;
  snoozedUntil: number | null;
  muted: boolean;
  labels: string[];
  additionalAttributes: JsonObject;
  customAttributes: JsonObject;
  agentLastSeenAt: number | null;
  assigneeLastSeenAt: number | null;
  contactLastSeenAt: number | null;
  firstReplyCreatedAt: number | null;
  waitingSince: number | null;
  lastActivityAt: number;
  createdAt: number;
  updatedAt: number;
}

export interface Message {
  id: number;
  accountId: number;
  inboxId: number;
  /** The conversation's database id. */
  conversationId: number;
  messageType: MessageType;
  content: string | null;
  contentType: string;
  contentAttributes: JsonObject;
  additionalAttributes: JsonObject;
  private: boolean;
  status: MessageStatus;
  sourceId: string | null;
  senderType: "Contact" | "User" | null;
  senderId: number | null;
  createdAt: number;
  updatedAt: number;
}

export interface Attachment {
  id: number;
  messageId: number;
  accountId: number;
  fileType: FileType;
  extension: string | null;
  contentType: string | null;
  filename: string | null;
  /** Key of the stored bytes in the blob store; null for location/fallback attachments. */
  blobKey: string | null;
  byteSize: number;
  coordinatesLat: number;
  coordinatesLong: number;
  fallbackTitle: string | null;
  externalUrl: string | null;
}

/** A file as received in a multipart upload, or handed to an agent action. */
export interface UploadedFile {
  filename: string;
  contentType: string;
  data: Uint8Array;
}
