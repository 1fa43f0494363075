// What every sandbox operation works on: the state, the blob store, the event sink (webhooks) and
// the change hook that wakes `waitForMessage`. Events name what happened; payloads are built later.
import type { BlobStore } from "./blobs.js";
import type { SandboxState } from "./state.js";
import type { Message } from "./types.js";
import type { ChangedAttribute } from "./views-webhook.js";

export type SandboxEvent =
  | { event: "message_created" | "message_updated"; messageId: number }
  | { event: "conversation_created" | "conversation_status_changed"; conversationId: number }
  | { event: "conversation_updated"; conversationId: number; changedAttributes: ChangedAttribute[] }
  | {
      event: "conversation_typing_on" | "conversation_typing_off";
      conversationId: number;
      userId: number;
      isPrivate: unknown;
      /** The contact typing through the Client API: the payload's `user` is then the contact (§A.4). */
      contactId?: number;
    };

export type EventName = SandboxEvent["event"];

export interface EventSink {
  /** Queues the event; the payload is built when it is sent, as Chatwoot's listener does (§4.3). */
  emit(event: SandboxEvent): void;
}

export interface Core {
  state: SandboxState;
  blobs: BlobStore;
  events: EventSink;
  /** Called after a message is created or changed. */
  messageChanged(message: Message): void;
}
