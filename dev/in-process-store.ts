// The bridge's DynamoDB client and the embedded store (dynalite) share one process under `npm start`: this request
// handler hands each signed request straight to dynalite's own request listener instead of over loopback HTTP.
// The SDK still serialises, signs, retries and parses as it does against DynamoDB; only the socket, Node's HTTP
// client and server, and their parsers are skipped (they were most of the store's cost per message, docs/performance.md).
import { EventEmitter } from "node:events";
import type { Server } from "node:http";
import type { HttpHandler } from "@smithy/core/protocols";
import type { HttpRequest, HttpResponse } from "@smithy/types";

/** What dynalite's listener reads of a request (dynalite/index.js httpHandler). */
class StoreRequest extends EventEmitter {
  constructor(
    readonly method: string,
    readonly url: string,
    readonly headers: Record<string, string>,
  ) {
    super();
  }
}

/** What dynalite's listener writes of a response (dynalite/index.js sendData). */
class StoreResponse {
  statusCode = 200;
  /** dynalite remembers the request's JSON content type here. */
  contentType = "application/x-amz-json-1.0";
  readonly headers: Record<string, string> = {};

  constructor(private readonly finish: (response: HttpResponse) => void) {}

  setHeader(name: string, value: string | number): void {
    this.headers[name.toLowerCase()] = String(value);
  }

  end(body?: string): void {
    this.finish({ statusCode: this.statusCode, headers: this.headers, body: Buffer.from(body ?? "") });
  }
}

/** A smithy request handler that answers from the given dynalite server's request listener, in this process. */
export function inProcessStoreHandler(server: Server): HttpHandler {
  const [listener] = server.listeners("request");
  if (typeof listener !== "function") throw new Error("the embedded store has no request listener");
  return {
    handle: (request: HttpRequest) =>
      new Promise((resolve) => {
        const query = new URLSearchParams();
        for (const [key, value] of Object.entries(request.query ?? {}))
          for (const item of Array.isArray(value) ? value : [value]) if (item !== null) query.append(key, item);
        const search = query.size > 0 ? `?${query}` : "";
        const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k.toLowerCase(), v]));
        const req = new StoreRequest(request.method, `${request.path}${search}`, headers);
        listener(req, new StoreResponse((response) => resolve({ response })));
        const body: unknown = request.body;
        // A view on the SDK's bytes, not Buffer.from(body): that calls valueOf(), which the SDK's JSON body warns about.
        if (body instanceof Uint8Array) req.emit("data", Buffer.from(body.buffer, body.byteOffset, body.byteLength));
        else if (typeof body === "string") req.emit("data", Buffer.from(body));
        req.emit("end");
      }),
    updateHttpClientConfig: () => undefined,
    httpHandlerConfigs: () => ({}),
  };
}
