// The HTTP API: one route and one function per entry of the route manifest (stacks/routes.ts).
import { API_THROTTLE } from "./concurrency.js";
import { functionArgs } from "./function-args.js";
import { routeSizeAndTime } from "./function-settings.js";
import { routeLinkNames } from "./links.js";
import { routeGrants } from "./permissions.js";
import { routes } from "./routes.js";
import { settings } from "./settings.js";

/** SST's default access log minus `$context.path`, which holds the raw user_id of GET /contacts/{user_id}. */
const ACCESS_LOG_FORMAT = JSON.stringify({
  requestTime: "$context.requestTime",
  requestId: "$context.requestId",
  routeKey: "$context.routeKey",
  status: "$context.status",
  responseLatency: "$context.responseLatency",
  integrationStatus: "$context.integration.status",
  integrationLatency: "$context.integration.latency",
  ip: "$context.identity.sourceIp",
});

// No CORS: callers are servers and Chatwoot, never browsers.
export const api = new sst.aws.ApiGatewayV2("BridgeApi", {
  cors: false,
  // DEPLOY_LOG_RETENTION, as for every function's log (stacks/function-args.ts).
  accessLog: { retention: settings.logRetention },
  transform: {
    stage: (args) => {
      const current = args.accessLogSettings;
      if (current) args.accessLogSettings = $output(current).apply((log) => ({ ...log, format: ACCESS_LOG_FORMAT }));
      // One throttle for every route (docs/infra.md "Capacity"); API Gateway answers past it with its own 429.
      args.defaultRouteSettings = {
        throttlingRateLimit: API_THROTTLE.rateLimitPerSecond,
        throttlingBurstLimit: API_THROTTLE.burstLimit,
      };
    },
  },
});

export const routeFunctions = routes.map((route) => {
  const fn = new sst.aws.Function(
    route.name,
    functionArgs({
      handler: route.handler,
      description: `${route.method} ${route.path}`,
      ...routeSizeAndTime(route),
      links: routeLinkNames(route),
      grants: routeGrants(route),
    }),
  );
  api.route(`${route.method} ${route.path}`, fn.arn);
  return fn;
});
