// httpLambdaEntry(): lambdaEntry for an HTTP route. The route's own middlewares answer every error as the spec's
// JSON; only a failed start (a bad configuration) happens before them, and API Gateway would then answer its own
// `{"message":"Internal Server Error"}`. This answers it as spec §3.6 says every error is: JSON, `internal_error`.
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from "aws-lambda";
import { type Config, ConfigError } from "../config.js";
import { jsonResponse } from "../edge/errors-http.js";
import { errorFields, log, withLogFields } from "../log.js";
import type { DepsOverrides } from "./deps.js";
import { type LambdaHandler, lambdaEntry } from "./lambda-entry.js";

type HttpLambda = LambdaHandler<APIGatewayProxyEventV2, APIGatewayProxyResultV2>;

const START_FAILED = {
  error: { code: "internal_error", message: "The bridge could not start; its log names the reason" },
};

export function httpLambdaEntry<D>(
  build: (config: Config, overrides: DepsOverrides) => D,
  route: (deps: D) => HttpLambda,
): HttpLambda {
  const entry = lambdaEntry(build, route);
  return async (event, context) => {
    try {
      return await entry(event, context);
    } catch (error) {
      // ConfigError's problems name the variables, never their values (config.ts), so they may be logged.
      const problems = error instanceof ConfigError ? error.problems.join("; ") : undefined;
      withLogFields({ aws_request_id: context.awsRequestId }, () =>
        log.error("bridge.start_failed", { ...errorFields(error), problems, route: event.routeKey }),
      );
      return jsonResponse(500, START_FAILED);
    }
  };
}
