// esbuild plugins of every Node.js function (NODEJS_BUNDLING.plugins). Plain ESM: SST's CLI imports this file with
// `node` (.sst/platform/functions/nodejs-runtime/plugin.mjs), and test/infra/support/sst-esbuild.ts passes the
// same plugins to esbuild, so the infra tests and the bench bundle as a deploy does.
import { fileURLToPath } from "node:url";

const LAMBDA_CREDENTIALS = fileURLToPath(new URL("../functions/adapters/lambda-credentials.ts", import.meta.url));

/**
 * @aws-sdk/client-dynamodb imports the whole default credential chain; in Lambda only its environment provider
 * ever answers, so the import resolves to functions/adapters/lambda-credentials.ts (why, with the AWS docs, there).
 */
export const lambdaCredentials = {
  name: "lambda-credentials",
  setup(build) {
    // SST's bridge tests the filter against an undefined path (the arguments come in `msg.value`), so the filter
    // matches any string and the path is checked here; undefined hands the import back to esbuild.
    build.onResolve({ filter: /.*/ }, (args) =>
      args.path === "@aws-sdk/credential-provider-node" ? { path: LAMBDA_CREDENTIALS } : undefined,
    );
  },
};

export default [lambdaCredentials];
