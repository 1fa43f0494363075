// `npm run sweep`: asks the running `npm start` to run the catch-up sweep once (POST /_local/sweep), and prints what
// it did. The running bridge owns the embedded store; this process never opens it.
import { existsSync } from "node:fs";
import { SWEEP_CONTROL_PATH } from "./local-sweep.js";

async function main(): Promise<void> {
  if (existsSync(".env")) process.loadEnvFile(".env");
  const host = process.env.HOST ?? "127.0.0.1";
  const port = process.env.PORT ?? "3000";
  const url = `http://${host}:${port}${SWEEP_CONTROL_PATH}`;
  let response: Response;
  try {
    response = await fetch(url, { method: "POST" });
  } catch {
    process.stderr.write(`No bridge answered at ${url}: start it with \`npm start\` first (same PORT and HOST).\n`);
    process.exit(1);
  }
  const text = await response.text();
  process.stdout.write(`${text}\n`);
  if (!response.ok) process.exit(1);
}

void main();
