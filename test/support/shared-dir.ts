// Where the shared Chatwoot reference files are: BRIDGE_SHARED_DIR, else the live shared/ folder beside the
// repository (CI's layout), else the snapshot in test/fixtures/shared (a clone checked anywhere else).
import { existsSync } from "node:fs";

const LIVE = new URL("../../../shared/", import.meta.url);
const SNAPSHOT = new URL("../fixtures/shared/", import.meta.url);

export function liveSharedDir(): URL | undefined {
  const fromEnv = process.env.BRIDGE_SHARED_DIR;
  if (fromEnv) return new URL(`file://${fromEnv.replace(/\/?$/, "/")}`);
  return existsSync(new URL("chatwoot/CONTRACT.md", LIVE)) ? LIVE : undefined;
}

/** A file of shared/ by its path below it, e.g. "chatwoot/webhooks/message_updated.json". */
export function sharedFile(path: string): URL {
  return new URL(path, liveSharedDir() ?? SNAPSHOT);
}

export function snapshotFile(path: string): URL {
  return new URL(path, SNAPSHOT);
}
