// The DynamoDB client's credential chain in a deployed bundle: the environment only. stacks/esbuild-plugins.mjs
// resolves @aws-sdk/credential-provider-node to this file, whose `defaultProvider` the client calls at its first
// request. Lambda sets the function role's credentials as AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
// AWS_SESSION_TOKEN (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime),
// so the default chain's SSO, INI, process, web identity and metadata providers (and the STS and SSO clients they
// bring, about 145 KB of a 509 KB bundle) never run there: leaving them out makes every cold start cheaper.
import { fromEnv } from "@aws-sdk/credential-provider-env";
import { log } from "../log.js";

type ProviderInit = Parameters<typeof fromEnv>[0];
type CredentialProvider = ReturnType<typeof fromEnv>;

/** What Lambda always sets; AWS_SESSION_TOKEN comes with them for a role and is passed on when present. */
export const CREDENTIAL_VARIABLES = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"] as const;

/** No credentials in the environment: outside Lambda, or a test that forgot them. Names the variables, never values. */
export class CredentialsMissingError extends Error {
  override readonly name = "CredentialsMissingError";
  readonly missing: string[];

  constructor(missing: string[]) {
    super(`No AWS credentials in the environment: ${missing.join(" and ")} unset (Lambda sets them for its role)`);
    this.missing = missing;
  }
}

/** Same signature as @aws-sdk/credential-provider-node's `defaultProvider`, which the client's runtimeConfig calls. */
export function defaultProvider(init?: ProviderInit): CredentialProvider {
  const fromEnvironment = fromEnv(init);
  return async (identityProperties) => {
    const missing = CREDENTIAL_VARIABLES.filter((name) => !process.env[name]);
    if (missing.length > 0) {
      // The store reports only the error's name: this line says which variables were missing.
      log.error("aws.credentials_missing", { variables: missing.join(", ") });
      throw new CredentialsMissingError(missing);
    }
    return fromEnvironment(identityProperties);
  };
}
