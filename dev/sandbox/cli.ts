// `npm run sandbox -- <command>`: act as the Chatwoot agent against a running sandbox (SANDBOX_URL).
import { DEFAULT_SANDBOX_URL, runCli } from "./cli-commands.js";

const baseUrl = (process.env.SANDBOX_URL ?? DEFAULT_SANDBOX_URL).replace(/\/+$/, "");

runCli(process.argv.slice(2), { baseUrl, print: (line) => process.stdout.write(`${line}\n`) })
  .then((code) => process.exit(code))
  .catch((error: unknown) => {
    process.stderr.write(
      `sandbox: ${error instanceof Error ? error.message : String(error)} (is the sandbox running at ${baseUrl}?)\n`,
    );
    process.exit(1);
  });
