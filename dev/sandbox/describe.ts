// The lines `npm start` prints about the sandbox: where it is and how a person acts as the agent.
import { DEFAULT_SANDBOX_URL } from "./cli-commands.js";
import type { Sandbox } from "./sandbox.js";

export function describeSandbox(s: Sandbox): string[] {
  const prefix = s.url === DEFAULT_SANDBOX_URL ? "" : `SANDBOX_URL=${s.url} `;
  const cli = (args: string) => `  ${prefix}npm run sandbox -- ${args}`;
  return [
    `Chatwoot sandbox: account ${s.accountId}, API inbox ${s.inboxId} "Bridge Inbox", agent "Sam Agent" (user 2).`,
    `  Application API: ${s.url}/api/v1/accounts/${s.accountId}/… (header api_access_token)`,
    "Act as the agent from another terminal:",
    cli("conversations"),
    cli("messages <conversation_id>"),
    cli(`reply <conversation_id> "Hi, how can I help?" [--attach ./invoice.pdf] [--location 52.52,13.40]`),
    cli(`note <conversation_id> "private note, never delivered"`),
    cli("resolve <conversation_id>        (also: reopen, typing <id> on|off, assign <id>)"),
    cli("delete <conversation_id> <message_id>   |   retry <conversation_id> <message_id>"),
    cli(`fault "POST /conversations/:id/messages" --status 503 --times 1   (then: faults, clear-faults, calls)`),
    cli("help"),
  ];
}
