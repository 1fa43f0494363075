// The local server's own pages (spec §6): GET /openapi.json and the console at /console (its files, JSON API and
// live events). Local only: nothing here is in the route manifest, so no Lambda serves it.
import { readFileSync } from "node:fs";
import type { ServerResponse } from "node:http";
import { buildOpenApi } from "../openapi/document.js";
import type { Receiver } from "../receiver.js";
import type { Sandbox } from "../sandbox/server.js";
import type { LocalPages } from "../server.js";
import { answerConsoleApi } from "./api.js";
import { streamEvents } from "./events.js";

const FILES: Record<string, { file: string; type: string }> = {
  "/console": { file: "page.html", type: "text/html; charset=utf-8" },
  "/console/app.js": { file: "app.js", type: "text/javascript; charset=utf-8" },
  "/console/app.css": { file: "app.css", type: "text/css; charset=utf-8" },
};

/** A console reply carries its file base64-encoded in JSON: room for the 10 MB upload limit of api.ts. */
const MAX_CONSOLE_BODY_BYTES = 16 * 1024 * 1024;

export interface ConsoleParts {
  sandbox: Sandbox | undefined;
  receiver: Receiver | undefined;
}

export function localPages(parts: ConsoleParts): LocalPages {
  const openapi = JSON.stringify(buildOpenApi(), null, 2);
  return (req, res, body) => {
    const path = new URL(req.url ?? "/", "http://local").pathname;
    if (req.method === "GET" && path === "/favicon.ico") {
      res.writeHead(204).end();
      return true;
    }
    if (req.method === "GET" && path === "/openapi.json") {
      res.writeHead(200, { "content-type": "application/json" }).end(openapi);
      return true;
    }
    const file = req.method === "GET" ? FILES[path] : undefined;
    if (file) {
      // Read on each request: the files are small, and an edit shows on reload.
      const text = readFileSync(new URL(file.file, import.meta.url), "utf8");
      res.writeHead(200, { "content-type": file.type, "cache-control": "no-store" }).end(text);
      return true;
    }
    if (req.method === "GET" && path === "/console/events") {
      streamEvents(res, parts);
      return true;
    }
    if (path.startsWith("/console/api/")) {
      body(MAX_CONSOLE_BODY_BYTES)
        .then((read) => (read === undefined ? undefined : answerConsoleApi(req, res, read, parts)))
        .catch(() => sendJson(res, 500, { error: "the console API failed" }));
      return true;
    }
    return false;
  };
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" }).end(JSON.stringify(body));
}
