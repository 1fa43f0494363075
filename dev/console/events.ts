// The console's live feed (server-sent events): `sandbox` when a conversation or message changed, `delivery` for
// each delivery the receiver saw. The sandbox has no change events of its own, so its state is fingerprinted often.
import type { ServerResponse } from "node:http";
import type { Sandbox } from "../sandbox/server.js";
import type { ConsoleParts } from "./pages.js";

/** How often the sandbox's state is compared: quick enough to look live, cheap on in-memory state. */
const SANDBOX_CHECK_MS = 250;

export function streamEvents(res: ServerResponse, parts: ConsoleParts): void {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-store", connection: "keep-alive" });
  const send = (event: string, data: unknown) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  send("hello", { sandbox: Boolean(parts.sandbox), receiver: Boolean(parts.receiver) });
  const unsubscribe = parts.receiver?.feed.subscribe((entry) => send("delivery", entry)) ?? (() => undefined);
  let last = fingerprint(parts.sandbox);
  const timer = setInterval(() => {
    const now = fingerprint(parts.sandbox);
    if (now === last) return;
    last = now;
    send("sandbox", {});
  }, SANDBOX_CHECK_MS);
  // The response closes when the browser goes; the request has closed already (its body was read).
  res.on("close", () => {
    clearInterval(timer);
    unsubscribe();
  });
}

function fingerprint(sandbox: Sandbox | undefined): string {
  if (!sandbox) return "";
  const conversations = sandbox.conversations().map((c) => `${c.displayId}:${c.status}:${c.updatedAt}`);
  const messages = sandbox.messages().map((m) => `${m.id}:${m.status}:${m.updatedAt}`);
  return `${conversations.join(",")}|${messages.join(",")}`;
}
