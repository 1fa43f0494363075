// The sandbox CLI's commands: each turns argv into one call to the /_sandbox control API and prints
// a short result. `runCli` takes its fetch and output so tests drive it in-process.
import { readFile } from "node:fs/promises";
import { basename, extname } from "node:path";

export const DEFAULT_SANDBOX_URL = "http://127.0.0.1:3001";

export interface CliIo {
  baseUrl: string;
  print: (line: string) => void;
  fetch?: typeof fetch;
}

const MIME: Record<string, string> = {
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".pdf": "application/pdf",
  ".txt": "text/plain",
  ".csv": "text/csv",
  ".json": "application/json",
  ".mp3": "audio/mpeg",
  ".ogg": "audio/ogg",
  ".mp4": "video/mp4",
};

export const USAGE = [
  "usage: npm run sandbox -- <command> [args]   (SANDBOX_URL, default http://127.0.0.1:3001)",
  "  conversations | messages <cid>",
  '  reply <cid> "text" [--attach file]... [--location lat,long[,title]] [--reply-to <mid>]',
  '  select <cid> "question" --option "Title=value"...   (an input_select message with its items)',
  '  note <cid> "text" | template <cid> "text"',
  "  resolve <cid> | reopen <cid> | status <cid> open|resolved|pending|snoozed | assign <cid> [user_id]",
  "  typing <cid> on|off [--private] | delete <cid> <mid> | retry <cid> <mid>",
  "  delete-contact <contact_id>   (with its conversations and messages, as an administrator)",
  '  new-conversation <contact_id> "text"   (the dashboard\'s "New conversation" on a contact)',
  '  new-contact "name" [--identifier id]   (a contact made by hand, no contact_inbox yet)',
  '  fault "<METHOD /route>" [--status N] [--latency ms] [--hang [ms]] [--times N] [--probability p]',
  "  faults | clear-faults | calls | reset-calls | webhooks | duplicate-next",
];

interface Parsed {
  positional: string[];
  flags: Map<string, string[]>;
}

function parseArgs(argv: string[]): Parsed {
  const positional: string[] = [];
  const flags = new Map<string, string[]>();
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? "";
    if (!arg.startsWith("--")) {
      positional.push(arg);
      continue;
    }
    const next = argv[i + 1];
    const value = next !== undefined && !next.startsWith("--") ? next : "";
    if (value !== "") i += 1;
    flags.set(arg.slice(2), [...(flags.get(arg.slice(2)) ?? []), value]);
  }
  return { positional, flags };
}

async function attachment(path: string) {
  const data = await readFile(path);
  return {
    filename: basename(path),
    content_type: MIME[extname(path).toLowerCase()] ?? "application/octet-stream",
    data_base64: data.toString("base64"),
  };
}

function location(raw: string | undefined) {
  if (raw === undefined) return undefined;
  const [lat, long, ...title] = raw.split(",");
  return { lat: Number(lat), long: Number(long), title: title.join(",") || undefined };
}

/** Runs one command; returns the process exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const { positional, flags } = parseArgs(argv);
  const [command, a, b] = positional;
  const flag = (name: string) => flags.get(name)?.[0];
  const call = async (method: string, path: string, body?: unknown): Promise<number> => {
    const response = await (io.fetch ?? fetch)(`${io.baseUrl}/_sandbox${path}`, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    io.print(JSON.stringify(await response.json(), null, 2));
    return response.ok ? 0 : 1;
  };
  const text = positional.slice(2).join(" ");
  switch (command) {
    case "conversations":
      return call("GET", "/conversations");
    case "messages":
      return call("GET", `/conversations/${a}/messages`);
    case "reply": {
      const files = await Promise.all((flags.get("attach") ?? []).filter((p) => p !== "").map(attachment));
      const replyTo = flag("reply-to");
      return call("POST", `/conversations/${a}/reply`, {
        content: text === "" ? null : text,
        attachments: files,
        location: location(flag("location")),
        ...(replyTo ? { in_reply_to: Number(replyTo) } : {}),
      });
    }
    case "select": {
      const items = (flags.get("option") ?? []).map((option) => {
        const [title = "", ...value] = option.split("=");
        return { title, value: value.join("=") || title };
      });
      return call("POST", `/conversations/${a}/reply`, { content: text, content_type: "input_select", items });
    }
    case "note":
      return call("POST", `/conversations/${a}/note`, { content: text });
    case "template":
      return call("POST", `/conversations/${a}/template`, { content: text });
    case "resolve":
      return call("POST", `/conversations/${a}/resolve`);
    case "reopen":
      return call("POST", `/conversations/${a}/reopen`);
    case "status":
      return call("POST", `/conversations/${a}/status`, { status: b });
    case "assign":
      return call("POST", `/conversations/${a}/assign`, b === undefined ? {} : { user_id: Number(b) });
    case "typing":
      return call("POST", `/conversations/${a}/typing`, { on: b !== "off", private: flags.has("private") });
    case "delete":
      return call("DELETE", `/conversations/${a}/messages/${b}`);
    case "retry":
      return call("POST", `/conversations/${a}/messages/${b}/retry`);
    case "delete-contact":
      return call("DELETE", `/contacts/${a}`);
    case "new-conversation":
      return call("POST", `/contacts/${a}/conversations`, { content: text });
    case "new-contact": {
      const identifier = flag("identifier");
      return call("POST", "/contacts", { name: positional.slice(1).join(" "), ...(identifier ? { identifier } : {}) });
    }
    case "fault":
      return call("POST", "/faults", faultBody(a ?? "", flags));
    case "faults":
      return call("GET", "/faults");
    case "clear-faults":
      return call("DELETE", "/faults");
    case "calls":
      return call("GET", "/calls");
    case "reset-calls":
      return call("DELETE", "/calls");
    case "webhooks":
      return call("GET", "/webhooks");
    case "duplicate-next":
      return call("POST", "/webhooks/duplicate-next");
    default:
      for (const line of USAGE) io.print(line);
      return command === undefined || command === "help" ? 0 : 2;
  }
}

function faultBody(route: string, flags: Map<string, string[]>) {
  const num = (name: string) => (flags.get(name)?.[0] ? Number(flags.get(name)?.[0]) : undefined);
  const kind = flags.has("hang") ? "hang" : flags.has("latency") ? "latency" : "error";
  const delay = kind === "hang" ? num("hang") : num("latency");
  return { route, kind, status: num("status"), delay_ms: delay, times: num("times"), probability: num("probability") };
}
