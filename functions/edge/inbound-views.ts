// camelCase domain results <-> the spec's snake_case bodies: the one conversion point of the inbound boundary.
import type { ContactProfile, Mapping } from "../core/ports.js";
import type { PostMessageResult } from "../core/messages.js";
import type { ReplyTo } from "../core/message-quote.js";
import type { ContactProfileBody } from "./inbound-schemas.js";

export function toReplyTo(body: { message_id: string } | { chatwoot_message_id: number }): ReplyTo {
  return "message_id" in body ? { messageId: body.message_id } : { chatwootMessageId: body.chatwoot_message_id };
}

export function toProfile(body: ContactProfileBody | undefined): ContactProfile | undefined {
  if (!body) return undefined;
  const profile: ContactProfile = {};
  if (body.name !== undefined) profile.name = body.name;
  if (body.email !== undefined) profile.email = body.email;
  if (body.phone_number !== undefined) profile.phoneNumber = body.phone_number;
  if (body.avatar_url !== undefined) profile.avatarUrl = body.avatar_url;
  if (body.custom_attributes !== undefined) profile.customAttributes = body.custom_attributes;
  return profile;
}

export function contactView(mapping: Mapping, inboxId: number, created: boolean) {
  return {
    user_id: mapping.userId,
    contact_id: mapping.contactId,
    source_id: mapping.sourceId,
    inbox_id: inboxId,
    created,
  };
}

export function conversationView(mapping: Mapping) {
  return {
    user_id: mapping.userId,
    thread_id: mapping.threadId ?? null,
    contact_id: mapping.contactId,
    source_id: mapping.sourceId,
    ...threadView(mapping),
  };
}

function threadView(mapping: Mapping) {
  return {
    conversation_id: mapping.conversationId ?? null,
    status: mapping.conversationId !== undefined ? (mapping.conversationStatus ?? "open") : null,
  };
}

/** spec §3.4: the default thread's view plus every thread (the default one first, as `thread_id: null`). */
export function contactMappingView(found: { mapping: Mapping; threads: Mapping[] }) {
  const threads = [found.mapping, ...found.threads].map((thread) => ({
    thread_id: thread.threadId ?? null,
    ...threadView(thread),
  }));
  return { ...conversationView(found.mapping), threads };
}

export function messageView(posted: PostMessageResult) {
  return {
    message_id: posted.messageId,
    chatwoot_message_id: posted.chatwootMessageId,
    conversation_id: posted.conversationId,
    contact_id: posted.contactId,
    source_id: posted.sourceId,
    duplicate: posted.duplicate,
  };
}
