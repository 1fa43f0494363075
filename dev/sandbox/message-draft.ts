// Reading a message from request params as Messages::MessageBuilder does (CONTRACT.md §2.5):
// message_type defaults to outgoing, content_attributes may be a JSON string, echo_id is kept aside.
import { InvalidEnumError, RecordInvalidError } from "./errors.js";
import { FileParam, bool, list, object, text, toJson, type Param, type ParamObject } from "./params.js";
import type { JsonObject, Message, MessageType, UploadedFile } from "./types.js";

/** NUMBER_OF_PERMITTED_ATTACHMENTS. */
export const MAX_ATTACHMENTS = 15;
/** Message content limit (characters). */
export const MAX_CONTENT_LENGTH = 150_000;

const MESSAGE_TYPES: MessageType[] = ["incoming", "outgoing", "activity", "template"];
const CONTENT_TYPES = [
  "text",
  "input_text",
  "input_textarea",
  "input_email",
  "input_select",
  "cards",
  "form",
  "article",
  "incoming_email",
  "input_csat",
  "integrations",
  "sticker",
  "voice_call",
];

/** The stored message's writable fields, plus what only the request carries. */
export interface MessageDraft
  extends Pick<
    Message,
    "messageType" | "content" | "contentType" | "contentAttributes" | "additionalAttributes" | "private" | "sourceId"
  > {
  echoId: string | undefined;
  files: UploadedFile[];
  location?: { lat: number; long: number; title: string };
}

/** What the dashboard's composer sends: a public outgoing text message, with `draft` over it. */
export function agentDraft(draft: Partial<MessageDraft>): MessageDraft {
  return {
    messageType: "outgoing",
    content: null,
    contentType: "text",
    contentAttributes: {},
    additionalAttributes: {},
    private: false,
    sourceId: null,
    echoId: undefined,
    files: [],
    ...draft,
  };
}

/** Throws what the builder raises; messages#create turns any of it into 422 `{error}`. */
export function readMessageDraft(params: ParamObject, attachmentKey = "attachments"): MessageDraft {
  const rawType = text(params.message_type) ?? "outgoing";
  const messageType = MESSAGE_TYPES.find((candidate) => candidate === rawType);
  if (messageType === undefined) throw new InvalidEnumError(`'${rawType}' is not a valid message_type`);
  const contentType = text(params.content_type) ?? "text";
  if (!CONTENT_TYPES.includes(contentType)) throw new InvalidEnumError(`'${contentType}' is not a valid content_type`);
  const content = text(params.content) ?? null;
  const contentAttributes = readContentAttributes(params.content_attributes);
  if (params.external_created_at !== undefined) contentAttributes.external_created_at = params.external_created_at;
  const additionalAttributes: JsonObject = {};
  const templateParams = object(params.template_params);
  if (templateParams !== undefined) {
    if (text(templateParams.name) === undefined)
      throw new RecordInvalidError(["Template params name is required"], ["template_params"]);
    additionalAttributes.template_params = toJson(templateParams);
  }
  if (params.campaign_id !== undefined) additionalAttributes.campaign_id = params.campaign_id;
  const files = list(params[attachmentKey]).filter((item): item is FileParam => item instanceof FileParam);
  const draft: MessageDraft = {
    messageType,
    content,
    contentType,
    contentAttributes,
    additionalAttributes,
    private: bool(params.private) ?? false,
    sourceId: text(params.source_id) ?? null,
    echoId: text(params.echo_id),
    files,
  };
  validateDraft(draft);
  return draft;
}

export function validateDraft(draft: MessageDraft): void {
  const messages: string[] = [];
  const attributes: string[] = [];
  if (draft.content !== null && draft.content.length > MAX_CONTENT_LENGTH) {
    messages.push(`Content is too long (maximum is ${MAX_CONTENT_LENGTH} characters)`);
    attributes.push("content");
  }
  if (draft.files.length > MAX_ATTACHMENTS) {
    messages.push(`Attachments exceeded maximum limit of ${MAX_ATTACHMENTS}`);
    attributes.push("attachments");
  }
  if (messages.length > 0) throw new RecordInvalidError(messages, attributes);
}

/** An object, or a JSON string (handy in multipart); anything else is an empty hash. */
function readContentAttributes(raw: Param | undefined): JsonObject {
  if (typeof raw === "string") {
    if (raw.trim() === "") return {};
    const parsed: unknown = parseJson(raw);
    return isJsonObject(parsed) ? parsed : {};
  }
  const hash = object(raw);
  return hash === undefined ? {} : toJson(hash);
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    // Ruby's JSON::ParserError message.
    throw new Error(`unexpected token at '${raw}'`);
  }
}

function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
