// Path parameters as API Gateway HTTP APIs hand them to Lambda: already percent-decoded, once. AWS: "API Gateway
// decodes URL-encoded request parameters before passing them to your backend integration"
// (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-routes.html). Decoding again here
// would read `a%2541` (user `a%41`) as `aA`, or refuse a user_id holding `%`; dev/server.ts builds the same event.
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { BridgeError } from "../core/errors.js";
// externalId is the body's user_id schema too (inbound-schemas.ts); taken from identity-schemas.ts so GET
// /contacts/{user_id}'s bundle does not build every request body's schema at its cold start.
import { externalId as userId } from "./identity-schemas.js";
import { validate } from "./validate.js";

export function pathUserId(event: APIGatewayProxyEventV2): string {
  const value = event.pathParameters?.user_id ?? "";
  try {
    return validate(userId, value);
  } catch (error) {
    if (error instanceof BridgeError) {
      const reason = error.details?.[0]?.message ?? "invalid";
      throw new BridgeError(error.code, `user_id: ${reason}`, { details: [{ path: "user_id", message: reason }] });
    }
    throw error;
  }
}
