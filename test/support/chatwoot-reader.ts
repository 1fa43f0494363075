// Reads what the Chatwoot sandbox holds through its own Application API, as an operator would.
import type { Sandbox } from "../../dev/sandbox/server.js";

export interface StoredMessage {
  id: number;
  content: string | null;
  message_type: number;
  source_id: string | null;
  private: boolean;
  attachments?: Array<Record<string, unknown>>;
}

export function chatwootReader(sandbox: Sandbox) {
  const base = `${sandbox.url}/api/v1/accounts/${sandbox.accountId}`;
  const call = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { api_access_token: sandbox.apiToken, ...(body ? { "content-type": "application/json" } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}`);
    return response.json();
  };
  return {
    call,
    async contactsWithIdentifier(identifier: string): Promise<Array<{ id: number; identifier: string; name: string }>> {
      const filter = {
        payload: [
          { attribute_key: "identifier", filter_operator: "equal_to", values: [identifier], query_operator: null },
        ],
      };
      const found = (await call("POST", "/contacts/filter", filter)) as {
        payload: Array<{ id: number; identifier: string; name: string }>;
      };
      return found.payload.filter((c) => c.identifier === identifier);
    },
    async conversationsOf(contactId: number): Promise<Array<{ id: number; status: string; inbox_id: number }>> {
      return (
        (await call("GET", `/contacts/${contactId}/conversations`)) as {
          payload: Array<{ id: number; status: string; inbox_id: number }>;
        }
      ).payload;
    },
    async messagesOf(conversationId: number): Promise<StoredMessage[]> {
      // `after=0` returns up to 100 messages in ascending order (CONTRACT.md §2.5).
      return ((await call("GET", `/conversations/${conversationId}/messages?after=0`)) as { payload: StoredMessage[] })
        .payload;
    },
    async contactInboxesOf(contactId: number): Promise<Array<{ source_id: string }>> {
      const contact = (await call("GET", `/contacts/${contactId}`)) as {
        payload: { contact_inboxes?: Array<{ source_id: string }> };
      };
      return contact.payload.contact_inboxes ?? [];
    },
  };
}
