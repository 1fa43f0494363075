// Application API inbox routes (CONTRACT.md §2.6): list, show (`secret` and `hmac_token` for
// administrators only) and reset_secret, which rotates the webhook signing secret.
import { notFound } from "./errors.js";
import { json, type Reply } from "./http.js";
import { integer } from "./params.js";
import type { RouteContext, RouteDef } from "./router.js";
import { secureToken } from "./state.js";
import type { Inbox } from "./types.js";
import { inboxView } from "./views-inbox.js";

function findInbox(ctx: RouteContext): Inbox {
  const inbox = ctx.core.state.inboxById(integer(ctx.path.id) ?? -1);
  if (inbox === undefined) throw notFound();
  return inbox;
}

function isAdmin(ctx: RouteContext): boolean {
  return ctx.user.role === "administrator";
}

function list(ctx: RouteContext): Reply {
  return json({ payload: [inboxView(ctx.core.state.inbox, { admin: isAdmin(ctx) })] });
}

function show(ctx: RouteContext): Reply {
  return json(inboxView(findInbox(ctx), { admin: isAdmin(ctx) }));
}

function resetSecret(ctx: RouteContext): Reply {
  const inbox = findInbox(ctx);
  if (!isAdmin(ctx)) return json({ error: "You are not authorized to do this action" }, 401);
  inbox.secret = secureToken();
  inbox.updatedAt = ctx.core.state.clock();
  return json(inboxView(inbox, { admin: true }));
}

export const inboxRoutes: RouteDef[] = [
  { method: "GET", path: "/inboxes", handler: list },
  { method: "GET", path: "/inboxes/:id", handler: show },
  { method: "POST", path: "/inboxes/:id/reset_secret", handler: resetSecret },
];
