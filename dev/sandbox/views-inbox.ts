// The inbox as Chatwoot shows it: the raw record (contacts#create `contact_inbox.inbox`) and the
// `_inbox` partial of GET /inboxes/{id}, whose `secret` only administrators see (CONTRACT.md §2.6).
import { isoTime } from "./time.js";
import type { Inbox, JsonObject } from "./types.js";

/** ActiveRecord `as_json` of the Inbox row: every column, ISO times (CONTRACT.md §2.2). */
export function inboxRaw(inbox: Inbox): JsonObject {
  return {
    id: inbox.id,
    channel_id: inbox.channelId,
    account_id: inbox.accountId,
    name: inbox.name,
    created_at: isoTime(inbox.createdAt),
    updated_at: isoTime(inbox.updatedAt),
    channel_type: inbox.channelType,
    enable_auto_assignment: inbox.enableAutoAssignment,
    greeting_enabled: false,
    greeting_message: null,
    email_address: null,
    working_hours_enabled: false,
    out_of_office_message: null,
    timezone: "UTC",
    enable_email_collect: true,
    csat_survey_enabled: false,
    allow_messages_after_resolved: true,
    auto_assignment_config: {},
    lock_to_single_conversation: inbox.lockToSingleConversation,
    portal_id: null,
    sender_name_type: "friendly",
    business_name: null,
    csat_config: {},
  };
}

/** `app/views/api/v1/models/_inbox.json.jbuilder` for a Channel::Api inbox. */
export function inboxView(inbox: Inbox, options: { admin: boolean }): JsonObject {
  const view: JsonObject = {
    id: inbox.id,
    avatar_url: "",
    channel_id: inbox.channelId,
    name: inbox.name,
    channel_type: inbox.channelType,
    greeting_enabled: false,
    greeting_message: null,
    working_hours_enabled: false,
    enable_email_collect: true,
    csat_survey_enabled: false,
    csat_config: {},
    enable_auto_assignment: inbox.enableAutoAssignment,
    auto_assignment_config: {},
    out_of_office_message: null,
    working_hours: defaultWorkingHours(),
    timezone: "UTC",
    callback_webhook_url: null,
    allow_messages_after_resolved: true,
    lock_to_single_conversation: inbox.lockToSingleConversation,
    sender_name_type: "friendly",
    business_name: null,
    provider: null,
    webhook_url: inbox.webhookUrl,
    inbox_identifier: inbox.identifier,
    hmac_mandatory: inbox.hmacMandatory,
    additional_attributes: inbox.additionalAttributes,
  };
  if (options.admin) {
    view.hmac_token = inbox.hmacToken;
    view.secret = inbox.secret;
  }
  return view;
}

/** The working hours a new inbox gets: weekdays 09:00-17:00, weekends closed. */
function defaultWorkingHours(): JsonObject[] {
  return [0, 1, 2, 3, 4, 5, 6].map((day) => {
    const weekend = day === 0 || day === 6;
    return {
      day_of_week: day,
      closed_all_day: weekend,
      open_hour: weekend ? null : 9,
      open_minutes: weekend ? null : 0,
      close_hour: weekend ? null : 17,
      close_minutes: weekend ? null : 0,
      open_all_day: false,
    };
  });
}
