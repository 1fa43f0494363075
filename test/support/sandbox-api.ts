// A thin Application API client for sandbox tests: raw fetch, the token header, and the whole answer
// (status, headers, text, parsed JSON) so tests can assert exact bodies, types and content types.
import type { Sandbox } from "../../dev/sandbox/server.js";

export interface ApiAnswer {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed JSON, or undefined when the body is not JSON. */
  json: unknown;
}

export interface ApiOptions {
  token?: string | null;
  headers?: Record<string, string>;
  /** A multipart body instead of JSON. */
  form?: FormData;
}

export function sandboxApi(sandbox: Sandbox) {
  const base = `${sandbox.url}/api/v1/accounts/${sandbox.accountId}`;
  const call = async (method: string, path: string, body?: unknown, options: ApiOptions = {}): Promise<ApiAnswer> => {
    const token = options.token === undefined ? sandbox.apiToken : options.token;
    const headers: Record<string, string> = {
      ...(token === null ? {} : { api_access_token: token }),
      ...options.headers,
    };
    let payload: string | FormData | undefined;
    if (options.form !== undefined) payload = options.form;
    else if (body !== undefined) {
      headers["content-type"] = "application/json";
      payload = JSON.stringify(body);
    }
    const response = await fetch(path.startsWith("http") ? path : `${base}${path}`, {
      method,
      headers,
      body: payload,
      redirect: "manual",
    });
    const text = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: response.status, headers: response.headers, text, json };
  };
  return {
    base,
    call,
    get: (path: string, options?: ApiOptions) => call("GET", path, undefined, options),
    post: (path: string, body?: unknown, options?: ApiOptions) => call("POST", path, body, options),
    patch: (path: string, body?: unknown, options?: ApiOptions) => call("PATCH", path, body, options),
    del: (path: string, options?: ApiOptions) => call("DELETE", path, undefined, options),
  };
}

export type SandboxApi = ReturnType<typeof sandboxApi>;

/** Reads a field of a JSON object answer, failing loudly when the answer is not an object. */
export function field(value: unknown, ...path: Array<string | number>): unknown {
  let node: unknown = value;
  for (const key of path) {
    if (typeof node !== "object" || node === null)
      throw new Error(`no ${path.join(".")} in ${JSON.stringify(value)?.slice(0, 200)}`);
    node = Object.entries(node).find(([name]) => name === String(key))?.[1];
  }
  return node;
}

export function num(value: unknown, ...path: Array<string | number>): number {
  const found = field(value, ...path);
  if (typeof found !== "number") throw new Error(`${path.join(".")} is not a number: ${JSON.stringify(found)}`);
  return found;
}

let seeded = 0;

/** Creates a contact with a contact_inbox and an open conversation whose first message is incoming. */
export async function seedConversation(api: SandboxApi, suffix: string, content = "Hola, necesito ayuda") {
  const contact = await api.post("/contacts", {
    name: `María ${suffix}`,
    identifier: `ext-user-${suffix}`,
    inbox_id: 1,
    source_id: `ext-chat-${suffix}`,
    phone_number: `+52155${String(++seeded).padStart(8, "0")}`,
    custom_attributes: { external_user_id: suffix },
  });
  const contactId = num(contact.json, "payload", "contact", "id");
  const conversation = await api.post("/conversations", {
    inbox_id: 1,
    contact_id: contactId,
    source_id: `ext-chat-${suffix}`,
    message: { content, message_type: "incoming", source_id: `EXT-MSG-${suffix}` },
  });
  return {
    contactId,
    conversationId: num(conversation.json, "id"),
    messageId: num(conversation.json, "messages", 0, "id"),
  };
}

/** An array of objects at `path`, checked at run time. */
export function items(value: unknown, ...path: Array<string | number>): Array<Record<string, unknown>> {
  const found = field(value, ...path);
  if (!Array.isArray(found))
    throw new Error(`${path.join(".")} is not an array: ${JSON.stringify(found)?.slice(0, 200)}`);
  return found.map((item) => {
    if (typeof item !== "object" || item === null || Array.isArray(item))
      throw new Error(`${path.join(".")} holds a non-object`);
    return { ...item };
  });
}
