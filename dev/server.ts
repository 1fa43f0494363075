// The local server: node:http -> APIGatewayProxyEventV2 -> the very route handlers the Lambdas run, built by the
// same factories (functions/routes/) with this bridge's deps, so several bridges may serve in one process.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { isUtf8 } from "node:buffer";
import { randomUUID } from "node:crypto";
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from "aws-lambda";
import type { BridgeDeps } from "../functions/compose/deps.js";
import { routes, type RouteEntry } from "../stacks/routes.js";
import { MAX_BODY_BYTES } from "../functions/edge/request-checks.js";
import { withLogFields } from "../functions/log.js";
import { localContext } from "./lambda-context.js";
import {
  answerClientErrors,
  readBody,
  serverOptions,
  TRANSPORT_DEFAULTS,
  type TransportLimits,
} from "./server-transport.js";

type LambdaHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyResultV2>;
type RouteFactory = (deps: BridgeDeps) => LambdaHandler;

export interface LoadedRoute {
  /** What dispatching needs of the manifest entry. */
  entry: Pick<RouteEntry, "method" | "path" | "handler" | "name" | "uses" | "maxBodyBytes">;
  pattern: RegExp;
  params: string[];
  handler: LambdaHandler;
}

const TEXT_TYPES = /^(application\/(json|x-www-form-urlencoded|xml)|text\/)/i;

/** The manifest's route factories (imports are cached by Node); each bridge builds its handlers from them. */
export async function routeFactories(): Promise<Map<RouteEntry, RouteFactory>> {
  const loaded = await Promise.all(
    routes.map(async (entry): Promise<[RouteEntry, RouteFactory]> => {
      const module: Record<string, unknown> = await import(
        /* @vite-ignore */ new URL(`../${entry.route}.ts`, import.meta.url).href
      );
      const factory = module[entry.factory];
      if (!isFactory(factory)) throw new Error(`${entry.route}.ts does not export ${entry.factory}`);
      return [entry, factory];
    }),
  );
  return new Map(loaded);
}

function isFactory(value: unknown): value is RouteFactory {
  return typeof value === "function";
}

export async function loadRoutes(deps: BridgeDeps): Promise<LoadedRoute[]> {
  return [...(await routeFactories())].map(([entry, factory]) => {
    const params: string[] = [];
    const source = entry.path.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{(\w+)\}/g, (_, name: string) => {
      params.push(name);
      return "([^/]+)";
    });
    return { entry, pattern: new RegExp(`^${source}$`), params, handler: factory(deps) };
  });
}

/**
 * The route's path parameters decoded once, as HTTP APIs hand them to Lambda ("API Gateway decodes URL-encoded
 * request parameters before passing them to your backend integration",
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-routes.html); the route is matched
 * on the encoded path, so `%2F` stays inside one parameter. `{ invalid }` names a parameter that is not valid
 * percent-encoding.
 */
export function pathParametersOf(
  route: Pick<LoadedRoute, "params">,
  match: RegExpExecArray,
): { values: Record<string, string> } | { invalid: string } {
  const values: Record<string, string> = {};
  for (const [i, name] of route.params.entries()) {
    const decoded = decodeOnce(match[i + 1] ?? "");
    if (decoded === undefined) return { invalid: name };
    values[name] = decoded;
  }
  return { values };
}

function decodeOnce(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/** Builds the event API Gateway (HTTP API, payload 2.0) would send, path parameters and rawPath decoded as there. */
export function toEvent(
  req: IncomingMessage,
  body: Buffer,
  route: LoadedRoute,
  pathParameters: Record<string, string>,
): APIGatewayProxyEventV2 {
  const url = new URL(req.url ?? "/", "http://local");
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(",") : value;
  }
  // HTTP APIs also hand rawPath decoded (fastify/aws-lambda-fastify#169 shows `/a%2Fb` arriving as `/a/b`).
  const path = decodeOnce(url.pathname) ?? url.pathname;
  const queryStringParameters: Record<string, string> = {};
  for (const [key, value] of url.searchParams) {
    queryStringParameters[key] = key in queryStringParameters ? `${queryStringParameters[key]},${value}` : value;
  }
  // Bytes that are not valid UTF-8 travel as base64, so the JSON check sees them as sent (not as U+FFFD).
  const isText = TEXT_TYPES.test(headers["content-type"] ?? "") && isUtf8(body);
  const now = Date.now();
  return {
    version: "2.0",
    routeKey: `${route.entry.method} ${route.entry.path}`,
    rawPath: path,
    rawQueryString: url.search.slice(1),
    headers,
    queryStringParameters: url.search ? queryStringParameters : undefined,
    pathParameters: route.params.length ? pathParameters : undefined,
    requestContext: {
      accountId: "local",
      apiId: "local",
      domainName: headers.host ?? "127.0.0.1",
      domainPrefix: "local",
      http: {
        method: req.method ?? "GET",
        path,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: req.socket.remoteAddress ?? "127.0.0.1",
        userAgent: headers["user-agent"] ?? "",
      },
      requestId: randomUUID(),
      routeKey: `${route.entry.method} ${route.entry.path}`,
      stage: "$default",
      time: new Date(now).toUTCString(),
      timeEpoch: now,
    },
    body: body.length === 0 ? undefined : isText ? body.toString("utf8") : body.toString("base64"),
    isBase64Encoded: body.length > 0 && !isText,
  };
}

function send(res: ServerResponse, result: APIGatewayProxyResultV2): void {
  if (typeof result === "string") {
    res.writeHead(200, { "content-type": "application/json" }).end(result);
    return;
  }
  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(result.headers ?? {})) headers[k] = String(v);
  if (result.cookies?.length) headers["set-cookie"] = result.cookies;
  const body =
    result.body === undefined ? "" : result.isBase64Encoded ? Buffer.from(result.body, "base64") : result.body;
  res.writeHead(result.statusCode ?? 200, headers).end(body);
}

/** Finds the route first, so the body is read only up to that route's limit (spec §8), then runs its handler. */
async function dispatch(
  loaded: LoadedRoute[],
  req: IncomingMessage,
  res: ServerResponse,
  pages: LocalPages | undefined,
): Promise<void> {
  const path = new URL(req.url ?? "/", "http://local").pathname;
  const method = req.method ?? "GET";
  for (const route of loaded) {
    const match = route.pattern.exec(path);
    if (!match || route.entry.method !== method) continue;
    const body = await readBody(req, res, route.entry.maxBodyBytes ?? MAX_BODY_BYTES);
    if (body === undefined) return;
    const params = pathParametersOf(route, match);
    if ("invalid" in params) return badPathParameter(res, params.invalid);
    const event = toEvent(req, body, route, params.values);
    const requestId = event.requestContext.requestId;
    // Locally the server's request id stands in for Lambda's; there is no container, so no cold start.
    const result = await withLogFields({ aws_request_id: requestId }, () =>
      route.handler(event, localContext(route.entry.name, requestId)),
    );
    send(res, result);
    return;
  }
  if (pages?.(req, res, (limitBytes) => readBody(req, res, limitBytes))) return;
  notFound(req, res, method, path);
}

/** What the handler would say of a parameter it cannot read; API Gateway never passes one undecoded. */
function badPathParameter(res: ServerResponse, name: string): void {
  const details = [{ path: name, message: "invalid percent-encoding" }];
  const body = { error: { code: "validation_failed", message: `${name}: is not valid percent-encoding`, details } };
  res.writeHead(400, { "content-type": "application/json" }).end(JSON.stringify(body));
}

function internalError(res: ServerResponse): void {
  if (res.headersSent) return void res.destroy();
  res
    .writeHead(500, { "content-type": "application/json" })
    .end('{"error":{"code":"internal_error","message":"Internal error"}}');
}

/** A body sent to no route is not read: the connection closes after the answer instead. */
function notFound(req: IncomingMessage, res: ServerResponse, method: string, path: string): void {
  const body = { error: { code: "not_found", message: `No route for ${method} ${path}` } };
  const hasBody = Number(req.headers["content-length"] ?? 0) > 0 || req.headers["transfer-encoding"] !== undefined;
  res
    .writeHead(404, { "content-type": "application/json", ...(hasBody ? { connection: "close" } : {}) })
    .end(JSON.stringify(body));
}

/** Local-only pages (the console, /openapi.json): true when it took the request; it reads the body if it needs it. */
export type LocalPages = (
  req: IncomingMessage,
  res: ServerResponse,
  body: (limitBytes: number) => Promise<Buffer | undefined>,
) => boolean;

export async function startServer(options: {
  host: string;
  port: number;
  deps: BridgeDeps;
  transport?: Partial<TransportLimits>;
  pages?: LocalPages;
}): Promise<{ server: Server; url: string; close: () => Promise<void> }> {
  const loaded = await loadRoutes(options.deps);
  const limits = { ...TRANSPORT_DEFAULTS, ...options.transport };
  const server = createServer(serverOptions(limits), (req, res) => {
    dispatch(loaded, req, res, options.pages).catch(() => internalError(res));
  });
  answerClientErrors(server, limits);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : options.port;
  return {
    server,
    url: `http://${options.host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
