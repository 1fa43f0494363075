// JSON views of users, contacts, inboxes and attachments, in the key order of Chatwoot's jbuilder
// views and `push_event_data` / `webhook_data` methods (CONTRACT.md §2.2, §2.5, §4.4).
import type { BlobStore } from "./blobs.js";
import type { SandboxState } from "./state.js";
import { isoTime, unixSeconds } from "./time.js";
import type { Account, Attachment, Contact, ContactInbox, Inbox, JsonObject, User } from "./types.js";

export interface ViewContext {
  state: SandboxState;
  blobs: BlobStore;
  /** FRONTEND_URL: the sandbox's own base URL, for attachment links. */
  baseUrl: string;
}

export function accountRef(account: Account): JsonObject {
  return { id: account.id, name: account.name };
}

/** User#push_event_data (message senders, conversation meta.assignee in webhooks). */
export function userPush(user: User): JsonObject {
  return {
    id: user.id,
    name: user.name,
    available_name: user.name,
    avatar_url: "",
    type: "user",
    availability_status: user.availabilityStatus,
    thumbnail: "",
  };
}

/** User#webhook_data (top-level message `sender`, typing `user`). */
export function userWebhook(user: User): JsonObject {
  return { id: user.id, name: user.name, email: user.email, type: "user" };
}

/** The `_agent` partial (API conversation meta.assignee). */
export function agentView(user: User, accountId: number): JsonObject {
  return {
    id: user.id,
    account_id: accountId,
    availability_status: user.availabilityStatus,
    auto_offline: true,
    confirmed: true,
    email: user.email,
    provider: "email",
    available_name: user.name,
    name: user.name,
    role: user.role,
    thumbnail: "",
    custom_role_id: null,
  };
}

/** Contact#push_event_data: the only contact shape with `type`. */
export function contactPush(contact: Contact): JsonObject {
  return {
    additional_attributes: contact.additionalAttributes,
    custom_attributes: contact.customAttributes,
    email: contact.email,
    id: contact.id,
    identifier: contact.identifier,
    name: contact.name,
    phone_number: contact.phoneNumber,
    thumbnail: "",
    blocked: contact.blocked,
    type: "contact",
  };
}

/** Contact#webhook_data: no `type` key (CONTRACT.md §7). */
export function contactWebhook(contact: Contact, account: Account): JsonObject {
  return {
    account: accountRef(account),
    additional_attributes: contact.additionalAttributes,
    avatar: "",
    custom_attributes: contact.customAttributes,
    email: contact.email,
    id: contact.id,
    identifier: contact.identifier,
    name: contact.name,
    phone_number: contact.phoneNumber,
    thumbnail: "",
    blocked: contact.blocked,
  };
}

/** The `_contact` partial; `contact_inboxes` only on /contacts endpoints. */
export function contactView(
  state: SandboxState,
  contact: Contact,
  options: { withContactInboxes: boolean },
): JsonObject {
  const view: JsonObject = {
    additional_attributes: contact.additionalAttributes,
    availability_status: "offline",
    email: contact.email,
    id: contact.id,
    name: contact.name,
    phone_number: contact.phoneNumber,
    blocked: contact.blocked,
    identifier: contact.identifier,
    thumbnail: "",
    custom_attributes: contact.customAttributes,
  };
  if (contact.lastActivityAt !== null) view.last_activity_at = unixSeconds(contact.lastActivityAt);
  view.created_at = unixSeconds(contact.createdAt);
  if (options.withContactInboxes) {
    view.contact_inboxes = state.contactInboxesOf(contact.id).map((record) => contactInboxSlim(state, record));
  }
  return view;
}

/** `_contact_inbox` → `_inbox_slim`. */
export function contactInboxSlim(state: SandboxState, record: ContactInbox): JsonObject {
  const inbox = state.inboxById(record.inboxId);
  return { source_id: record.sourceId, inbox: inbox === undefined ? null : inboxSlim(inbox) };
}

export function inboxSlim(inbox: Inbox): JsonObject {
  return {
    id: inbox.id,
    avatar_url: "",
    channel_id: inbox.channelId,
    name: inbox.name,
    channel_type: inbox.channelType,
    provider: null,
  };
}

/** The raw ContactInbox record (webhook `conversation.contact_inbox`; holds `pubsub_token`). */
export function contactInboxRaw(record: ContactInbox): JsonObject {
  return {
    id: record.id,
    contact_id: record.contactId,
    inbox_id: record.inboxId,
    source_id: record.sourceId,
    created_at: isoTime(record.createdAt),
    updated_at: isoTime(record.updatedAt),
    hmac_verified: record.hmacVerified,
    pubsub_token: record.pubsubToken,
  };
}

/** Attachment#push_event_data: same shape in API responses and webhooks. */
export function attachmentView(ctx: ViewContext, attachment: Attachment): JsonObject {
  const base: JsonObject = {
    id: attachment.id,
    message_id: attachment.messageId,
    file_type: attachment.fileType,
    account_id: attachment.accountId,
  };
  if (attachment.fileType === "location") {
    return {
      ...base,
      coordinates_lat: attachment.coordinatesLat,
      coordinates_long: attachment.coordinatesLong,
      fallback_title: attachment.fallbackTitle,
      data_url: attachment.externalUrl,
    };
  }
  if (attachment.fileType === "fallback")
    return { ...base, fallback_title: attachment.fallbackTitle, data_url: attachment.externalUrl };
  if (attachment.fileType === "contact") return { ...base, fallback_title: attachment.fallbackTitle };
  const key = attachment.blobKey ?? "";
  const filename = attachment.filename ?? "file";
  const dataUrl = ctx.blobs.redirectUrl(ctx.baseUrl, key, filename);
  const view: JsonObject = {
    ...base,
    extension: attachment.extension,
    content_type: attachment.contentType,
    data_url: attachment.fileType === "audio" ? `${dataUrl}?disposition=inline` : dataUrl,
    thumb_url: attachment.fileType === "image" ? ctx.blobs.thumbUrl(ctx.baseUrl, key, filename) : "",
    file_size: attachment.byteSize,
    width: null,
    height: null,
  };
  if (attachment.fileType === "audio") view.transcribed_text = "";
  return view;
}
