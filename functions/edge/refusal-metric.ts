// Counts a request the route did not complete, by its error code (spec §7: inbound messages and webhooks by outcome).
// Use it right after jsonErrors: its onError then runs first, while the error is still the request's.
import { count, type Metrics } from "../metrics.js";
import { bridgeErrorOf, STATUS } from "./errors-http.js";
import type { HttpMiddleware } from "./http-event.js";

export function refusalMetric(metrics: Metrics, metricName: string): HttpMiddleware {
  return {
    onError: (request) => {
      const { code } = bridgeErrorOf(request.error);
      // Below 500 the request was refused; at 500 and above the bridge or Chatwoot failed it.
      const outcome = STATUS[code] < 500 ? "refused" : "failed";
      metrics.put({ Outcome: outcome, Reason: code }, { [metricName]: count() });
    },
  };
}
