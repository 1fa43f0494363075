// dev/server.ts turns a node:http request into the APIGatewayProxyEventV2 an HTTP API would send the Lambda.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pathParametersOf, toEvent, type LoadedRoute } from "../../dev/server.js";
import { MAX_WEBHOOK_BYTES } from "../../functions/routes/webhooks-chatwoot-post.js";
import { routes } from "../../stacks/routes.js";

const route: LoadedRoute = {
  entry: { method: "POST", path: "/contacts/{user_id}", handler: "unused", name: "Probe", uses: [] },
  pattern: /^\/contacts\/([^/]+)$/,
  params: ["user_id"],
  handler: async () => ({ statusCode: 200 }),
};

function paramsOf(match: RegExpExecArray): Record<string, string> {
  const params = pathParametersOf(route, match);
  if ("invalid" in params) throw new Error(`invalid ${params.invalid}`);
  return params.values;
}

let server: Server;
let url: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const match = route.pattern.exec(new URL(req.url ?? "/", "http://x").pathname);
      if (!match) return void res.writeHead(404).end();
      res
        .writeHead(200, { "content-type": "application/json" })
        .end(JSON.stringify(toEvent(req, Buffer.concat(chunks), route, paramsOf(match))));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function eventFor(path: string, init: RequestInit): Promise<APIGatewayProxyEventV2> {
  return (await fetch(`${url}${path}`, init)).json() as Promise<APIGatewayProxyEventV2>;
}

describe("the local server's API Gateway event", () => {
  it("keeps a JSON body byte for byte, lower-cases headers and fills requestContext.http", async () => {
    const raw = '{ "b":1,  "a":"\\u00e9 é <x>" }\n';
    const event = await eventFor("/contacts/u-1?x=1&y=2&x=3", {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Chatwoot-Signature": "sha256=ab" },
      body: raw,
    });
    expect(event.body).toBe(raw);
    expect(event.isBase64Encoded).toBe(false);
    expect(event.headers["content-type"]).toBe("application/json");
    expect(event.headers["x-chatwoot-signature"]).toBe("sha256=ab");
    expect(event.routeKey).toBe("POST /contacts/{user_id}");
    expect(event.rawPath).toBe("/contacts/u-1");
    expect(event.rawQueryString).toBe("x=1&y=2&x=3");
    expect(event.queryStringParameters).toEqual({ x: "1,3", y: "2" });
    expect(event.requestContext.http).toMatchObject({ method: "POST", path: "/contacts/u-1", sourceIp: "127.0.0.1" });
  });

  it("passes a binary body as base64 with isBase64Encoded", async () => {
    const bytes = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff, 0x10]);
    const event = await eventFor("/contacts/u-1", {
      method: "POST",
      headers: { "content-type": "image/png" },
      body: bytes,
    });
    expect(event.isBase64Encoded).toBe(true);
    expect(new Uint8Array(Buffer.from(event.body ?? "", "base64"))).toEqual(bytes);
  });

  it("decodes path parameters and rawPath once, as HTTP APIs do, and sends no body when there is none", async () => {
    const event = await eventFor("/contacts/team%20a%2Fb%2541", { method: "POST" });
    expect(event.pathParameters).toEqual({ user_id: "team a/b%41" });
    expect([event.rawPath, event.requestContext.http.path]).toEqual(["/contacts/team a/b%41", "/contacts/team a/b%41"]);
    expect(event.body).toBeUndefined();
    expect(event.queryStringParameters).toBeUndefined();
  });

  it("passes a JSON body that is not valid UTF-8 as base64, so the JSON check sees the bytes as sent", async () => {
    const bytes = Buffer.concat([Buffer.from('{"user_id":"caf'), Buffer.from([0xe9]), Buffer.from('"}')]);
    const event = await eventFor("/contacts/u-1", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: bytes,
    });
    expect(event.isBase64Encoded).toBe(true);
    expect(Buffer.from(event.body ?? "", "base64")).toEqual(bytes);
  });

  it("reads the webhook route's body up to the limit that route checks itself", () => {
    const webhook = routes.find((entry) => entry.path === "/webhooks/chatwoot");
    expect(webhook?.maxBodyBytes).toBe(MAX_WEBHOOK_BYTES);
    expect(routes.filter((entry) => entry.maxBodyBytes !== undefined)).toEqual([webhook]);
  });
});
