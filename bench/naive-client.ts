// The baseline: Chatwoot's API-channel guide done naively, with no mapping kept anywhere. For every message:
// create the contact (with inbox_id); when Chatwoot answers 422 "Identifier has already been taken", find it
// with POST /contacts/filter (identifier equal_to, as the guide advises over search); then create a
// conversation with that contact_inbox's source_id, then post the message as incoming. 3 calls, 4 once known.
import { TAG_HEADER } from "../dev/sandbox/call-timings.js";
import type { ChatwootTarget, Job } from "./load.js";

type Json = Record<string, unknown>;

/** `pick(body, "payload", "contact", "id")`: the value at that path of an untyped JSON answer, or undefined. */
export function pick(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) current = isJson(current) ? current[key] : undefined;
  return current;
}

function isJson(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

class NaiveError extends Error {
  constructor(
    readonly step: string,
    readonly status: number,
  ) {
    super(`${step} answered ${status}`);
  }
}

async function post(
  target: ChatwootTarget,
  tag: string,
  path: string,
  body: Json,
): Promise<{ status: number; data: unknown }> {
  const response = await fetch(`${target.apiBase}${path}`, {
    method: "POST",
    headers: {
      api_access_token: target.token,
      "content-type": "application/json",
      accept: "application/json",
      [TAG_HEADER]: tag,
    },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, data: text ? JSON.parse(text) : undefined };
}

/** The contact's id and its contact_inbox source_id in our inbox: created, or found after the 422. */
async function contactFor(target: ChatwootTarget, job: Job): Promise<{ contactId: unknown; sourceId: unknown }> {
  const created = await post(target, job.tag, "/contacts", {
    identifier: job.userId,
    name: job.userId,
    inbox_id: target.inboxId,
  });
  if (created.status === 200) {
    return {
      contactId: pick(created.data, "payload", "contact", "id"),
      sourceId: pick(created.data, "payload", "contact_inbox", "source_id"),
    };
  }
  if (created.status !== 422) throw new NaiveError("create contact", created.status);
  const filter = {
    payload: [{ attribute_key: "identifier", filter_operator: "equal_to", values: [job.userId], query_operator: null }],
  };
  const found = await post(target, job.tag, "/contacts/filter", filter);
  const contacts = pick(found.data, "payload");
  const contact = Array.isArray(contacts) ? contacts.find((c) => pick(c, "identifier") === job.userId) : undefined;
  if (found.status !== 200 || contact === undefined) throw new NaiveError("filter contacts", found.status);
  const inboxes = pick(contact, "contact_inboxes");
  const ours = Array.isArray(inboxes) ? inboxes.find((ci) => pick(ci, "inbox", "id") === target.inboxId) : undefined;
  return { contactId: pick(contact, "id"), sourceId: pick(ours, "source_id") };
}

/** One user message the naive way: ok with the last status, or not ok with the status of the step that failed. */
export async function postNaively(target: ChatwootTarget, job: Job): Promise<{ ok: boolean; status: number }> {
  try {
    return await postSteps(target, job);
  } catch (error) {
    if (error instanceof NaiveError) return { ok: false, status: error.status };
    throw error;
  }
}

async function postSteps(target: ChatwootTarget, job: Job): Promise<{ ok: boolean; status: number }> {
  const { contactId, sourceId } = await contactFor(target, job);
  const conversation = await post(target, job.tag, "/conversations", {
    inbox_id: target.inboxId,
    contact_id: contactId,
    source_id: sourceId,
  });
  const conversationId = pick(conversation.data, "id");
  if (conversation.status !== 200 || typeof conversationId !== "number")
    throw new NaiveError("create conversation", conversation.status);
  const message = await post(target, job.tag, `/conversations/${conversationId}/messages`, {
    content: job.content,
    message_type: "incoming",
  });
  if (message.status !== 200) throw new NaiveError("create message", message.status);
  return { ok: true, status: message.status };
}
