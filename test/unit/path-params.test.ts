// The Lambda side reads path parameters as API Gateway HTTP APIs deliver them: already decoded, never decoded again.
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { BridgeError } from "../../functions/core/errors.js";
import { pathUserId } from "../../functions/edge/path-params.js";

const eventWith = (userId: string | undefined): APIGatewayProxyEventV2 => ({
  version: "2.0",
  routeKey: "GET /contacts/{user_id}",
  rawPath: `/contacts/${userId ?? ""}`,
  rawQueryString: "",
  headers: {},
  ...(userId === undefined ? {} : { pathParameters: { user_id: userId } }),
  requestContext: {
    accountId: "1",
    apiId: "a",
    domainName: "d",
    domainPrefix: "d",
    http: { method: "GET", path: "/", protocol: "HTTP/1.1", sourceIp: "127.0.0.1", userAgent: "" },
    requestId: "r",
    routeKey: "GET /contacts/{user_id}",
    stage: "$default",
    time: "",
    timeEpoch: 0,
  },
  isBase64Encoded: false,
});

describe("pathUserId", () => {
  it("takes the decoded value as it is: a `%` or what looks like an escape is part of the id", () => {
    expect(pathUserId(eventWith("100%pure"))).toBe("100%pure");
    expect(pathUserId(eventWith("u%41"))).toBe("u%41");
    expect(pathUserId(eventWith("team/a?b#c d 😀"))).toBe("team/a?b#c d 😀");
  });

  it("refuses an empty or 256-character id naming user_id and the limit", () => {
    for (const bad of [undefined, "x".repeat(256)]) {
      let caught: unknown;
      try {
        pathUserId(eventWith(bad));
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(BridgeError);
      expect(caught).toMatchObject({ code: "validation_failed", details: [{ path: "user_id" }] });
    }
    expect(() => pathUserId(eventWith("x".repeat(256)))).toThrow(/255/);
  });
});
