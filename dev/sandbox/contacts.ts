// Contacts and contact_inboxes: contacts#create (validate, then inbox, then ContactInboxBuilder, all
// rolled back together), contacts#update, contacts#destroy, and the builder's find-or-create (§2.2, §2.3).
import { normaliseEmail, validateContact } from "./contact-validation.js";
import type { Core } from "./core.js";
import { notFound } from "./errors.js";
import { secureToken } from "./state.js";
import type { Contact, ContactInbox, Inbox, JsonObject } from "./types.js";

export interface ContactInput {
  name?: string;
  email?: string | null;
  phoneNumber?: string | null;
  identifier?: string | null;
  blocked?: boolean;
  additionalAttributes?: JsonObject;
  customAttributes?: JsonObject;
}

/** `ActiveRecord::RecordNotUnique` from the (inbox_id, source_id) index: callers decide 500 or 422. */
export class SourceIdTakenError extends Error {
  override readonly name = "SourceIdTakenError";
}

/** Creates the contact and, with `inboxId`, its contact_inbox; nothing is kept when any step fails. */
export function createContact(
  core: Core,
  input: ContactInput,
  /** `inboxId` as sent (an unparseable one as -1): unknown inboxes give 404 after validation. */
  link: { inboxId?: number; sourceId?: string },
): { contact: Contact; contactInbox: ContactInbox | undefined } {
  const { state } = core;
  const now = state.clock();
  const contact: Contact = {
    id: 0,
    accountId: state.account.id,
    name: input.name ?? "",
    email: normaliseEmail(input.email ?? null),
    phoneNumber: input.phoneNumber ?? null,
    identifier: input.identifier ?? null,
    blocked: input.blocked ?? false,
    additionalAttributes: input.additionalAttributes ?? {},
    customAttributes: input.customAttributes ?? {},
    lastActivityAt: null,
    createdAt: now,
    updatedAt: now,
  };
  validateContact(contact, state.contacts.values());
  const inbox = link.inboxId === undefined ? undefined : state.inboxById(link.inboxId);
  if (link.inboxId !== undefined && inbox === undefined) throw notFound();
  if (inbox !== undefined && link.sourceId !== undefined && state.contactInboxBySource(inbox.id, link.sourceId)) {
    throw new SourceIdTakenError();
  }
  contact.id = state.nextId("contact");
  state.contacts.set(contact.id, contact);
  const contactInbox = inbox === undefined ? undefined : ensureContactInbox(core, contact, inbox, link.sourceId);
  return { contact, contactInbox };
}

/** contacts#update: attribute hashes are merged into the stored ones, then validated. */
export function updateContact(core: Core, contact: Contact, input: ContactInput): Contact {
  const next: Contact = {
    ...contact,
    name: input.name ?? contact.name,
    email: input.email === undefined ? contact.email : normaliseEmail(input.email),
    phoneNumber: input.phoneNumber === undefined ? contact.phoneNumber : input.phoneNumber,
    identifier: input.identifier === undefined ? contact.identifier : input.identifier,
    blocked: input.blocked ?? contact.blocked,
    additionalAttributes: { ...contact.additionalAttributes, ...input.additionalAttributes },
    customAttributes: { ...contact.customAttributes, ...input.customAttributes },
  };
  const others = [...core.state.contacts.values()].filter((other) => other.id !== contact.id);
  validateContact(next, others);
  Object.assign(contact, next, { updatedAt: core.state.clock() });
  return contact;
}

/** contacts#destroy: `has_many … dependent:` removes its contact_inboxes, conversations, messages, attachments. */
export function destroyContact(core: Core, contact: Contact): void {
  const { state } = core;
  const removed = new Set<number>();
  for (const conversation of [...state.conversations.values()]) {
    if (conversation.contactId !== contact.id) continue;
    for (const message of state.removeConversation(conversation)) removed.add(message.id);
  }
  for (const attachment of [...state.attachments.values()]) {
    if (!removed.has(attachment.messageId)) continue;
    if (attachment.blobKey !== null) core.blobs.delete(attachment.blobKey);
    state.attachments.delete(attachment.id);
  }
  for (const record of state.contactInboxesOf(contact.id)) state.contactInboxes.delete(record.id);
  state.contacts.delete(contact.id);
}

/**
 * ContactInboxBuilder: returns the existing row for the same (contact, inbox, source_id), else
 * creates one (a random UUID when no source_id); a source_id owned by another contact throws.
 */
export function ensureContactInbox(
  core: Core,
  contact: Contact,
  inbox: Inbox,
  sourceId?: string,
  hmacVerified = false,
): ContactInbox {
  const { state } = core;
  const source = sourceId ?? state.newUuid();
  const existing = state.contactInboxBySource(inbox.id, source);
  if (existing !== undefined) {
    if (existing.contactId === contact.id) return existing;
    throw new SourceIdTakenError();
  }
  const now = state.clock();
  const record: ContactInbox = {
    id: state.nextId("contactInbox"),
    contactId: contact.id,
    inboxId: inbox.id,
    sourceId: source,
    hmacVerified,
    pubsubToken: secureToken(),
    createdAt: now,
    updatedAt: now,
  };
  state.contactInboxes.set(record.id, record);
  return record;
}
