// A Lambda Context for local invocations. No getRemainingTimeInMillis on purpose: middy 6 shares one
// AbortController per module, so a faked deadline could abort concurrent local requests (STYLE.md §8).
import type { Context } from "aws-lambda";

export function localContext(functionName: string, requestId: string): Context {
  const context: Omit<Context, "getRemainingTimeInMillis"> = {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: "512",
    awsRequestId: requestId,
    logGroupName: `/local/${functionName}`,
    logStreamName: "local",
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
  // The one missing member is the point (see above); middy checks for it before use.
  return context as Context;
}
