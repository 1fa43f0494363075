// A file host for attachment tests on 127.0.0.1 (http, or https with the test certificate for files.example.test):
// serves files, redirects, errors, oversize and truncated bodies, stalls, and counts every request by path.
import { readFileSync } from "node:fs";
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";

export type Route =
  | { kind: "file"; contentType?: string; body: Uint8Array; chunked?: boolean }
  | { kind: "redirect"; location: string; status?: number }
  | { kind: "status"; status: number }
  /** Claims `declared` bytes in Content-Length, sends `sent`, then closes. */
  | { kind: "truncated"; declared: number; sent: number }
  /** Accepts the request and never answers. */
  | { kind: "stall" };

export interface FileServer {
  url: string;
  port: number;
  route(path: string, route: Route): void;
  hits(path?: string): number;
  /** Host headers seen, in order. */
  hosts(): string[];
  resetHits(): void;
  close(): Promise<void>;
}

const TLS_DIR = new URL("../fixtures/tls/", import.meta.url);
export const TEST_CA = readFileSync(new URL("files.example.test.crt", TLS_DIR), "utf8");

export async function startFileServer(options: { tls?: boolean } = {}): Promise<FileServer> {
  const routes = new Map<string, Route>();
  const hits: string[] = [];
  const hosts: string[] = [];
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    hits.push(path);
    hosts.push(req.headers.host ?? "");
    serve(routes.get(path), res);
  };
  const server: Server = options.tls
    ? createHttpsServer({ cert: TEST_CA, key: readFileSync(new URL("files.example.test.key", TLS_DIR)) }, handle)
    : createHttpServer(handle);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${options.tls ? "https" : "http"}://127.0.0.1:${port}`,
    port,
    route: (path, route) => void routes.set(path, route),
    hits: (path) => (path === undefined ? hits.length : hits.filter((p) => p === path).length),
    hosts: () => [...hosts],
    resetHits: () => void hits.splice(0),
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

function serve(route: Route | undefined, res: ServerResponse): void {
  if (!route) return void res.writeHead(404).end("not here");
  switch (route.kind) {
    case "file": {
      const headers: Record<string, string> = route.contentType ? { "content-type": route.contentType } : {};
      if (route.chunked) {
        res.writeHead(200, headers);
        // Several writes without Content-Length: the client only learns the size by counting.
        for (let at = 0; at < route.body.length; at += 1 << 20) res.write(route.body.subarray(at, at + (1 << 20)));
        return void res.end();
      }
      return void res.writeHead(200, { ...headers, "content-length": String(route.body.length) }).end(route.body);
    }
    case "redirect":
      return void res.writeHead(route.status ?? 302, { location: route.location }).end();
    case "status":
      return void res.writeHead(route.status).end("error page");
    case "truncated":
      res.writeHead(200, { "content-length": String(route.declared) });
      // Closed once the partial body is on the wire, as a dropped connection would leave it.
      return void res.write(Buffer.alloc(route.sent, 1), () => res.destroy());
    case "stall":
      return;
  }
}
