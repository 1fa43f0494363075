// Path parameters arrive percent-encoded from API Gateway HTTP APIs (and from dev/server.ts, which mirrors it).
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { BridgeError } from "../core/errors.js";
import { userId } from "./inbound-schemas.js";
import { validate } from "./validate.js";

export function pathUserId(event: APIGatewayProxyEventV2): string {
  const raw = event.pathParameters?.user_id ?? "";
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    throw new BridgeError("validation_failed", "user_id: is not valid percent-encoding", {
      details: [{ path: "user_id", message: "invalid percent-encoding" }],
    });
  }
  try {
    return validate(userId, decoded);
  } catch (error) {
    if (error instanceof BridgeError)
      throw new BridgeError(error.code, `user_id: ${error.details?.[0]?.message ?? "invalid"}`, {
        details: [{ path: "user_id", message: error.details?.[0]?.message ?? "invalid" }],
      });
    throw error;
  }
}
