// Route tables: `{method, path}` templates below /api/v1/accounts/:account_id, matched in order.
// A route's key ("POST /conversations/:id/messages") names it in call counters and faults.
import type { Core } from "./core.js";
import type { Reply } from "./http.js";
import type { ParamObject } from "./params.js";
import type { User } from "./types.js";
import type { ViewContext } from "./views-records.js";

export interface RouteContext {
  core: Core;
  view: ViewContext;
  /** The token's owner. */
  user: User;
  params: ParamObject;
  /** Path parameters by name (`id`, `message_id`), still strings. */
  path: Record<string, string>;
}

export type RouteHandler = (ctx: RouteContext) => Reply | Promise<Reply>;

export interface RouteDef {
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  /** Template with `:name` segments, e.g. `/conversations/:id/messages/:message_id`. */
  path: string;
  handler: RouteHandler;
}

/** Anything with a method and a `:name` path template can be routed. */
export interface RoutePattern {
  method: string;
  path: string;
}

export interface RouteMatch<R extends RoutePattern = RouteDef> {
  route: R;
  key: string;
  path: Record<string, string>;
}

interface CompiledRoute<R> {
  route: R;
  pattern: RegExp;
  names: string[];
}

export class Router<R extends RoutePattern = RouteDef> {
  private readonly compiled: CompiledRoute<R>[];

  constructor(routes: R[]) {
    this.compiled = routes.map((route) => {
      const names: string[] = [];
      const source = route.path.replace(/:(\w+)/g, (_, name: string) => {
        names.push(name);
        return "([^/]+)";
      });
      return { route, pattern: new RegExp(`^${source}/?$`), names };
    });
  }

  match(method: string, subPath: string): RouteMatch<R> | undefined {
    for (const { route, pattern, names } of this.compiled) {
      if (route.method !== method) continue;
      const found = pattern.exec(subPath);
      if (found === null) continue;
      const path: Record<string, string> = {};
      names.forEach((name, i) => {
        path[name] = decodeURIComponent(found[i + 1] ?? "");
      });
      return { route, key: routeKey(route), path };
    }
    return undefined;
  }

  keys(): string[] {
    return this.compiled.map(({ route }) => routeKey(route));
  }
}

export function routeKey(route: RoutePattern): string {
  return `${route.method} ${route.path}`;
}
