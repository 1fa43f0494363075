// One process per embedded store directory. dynalite throws LevelDB's "locked" failure from inside a
// request callback, which kills the process with a cryptic error; this pid file refuses it up front.
import { open, readFile, rm } from "node:fs/promises";
import { join } from "node:path";

export interface StoreLock {
  release(): Promise<void>;
}

/** Takes `<dataDir>/dynamodb.pid` (beside LevelDB's directory, not in it); a file left by a process that no longer runs is taken over. */
export async function lockStoreDir(dataDir: string): Promise<StoreLock> {
  const file = join(dataDir, "dynamodb.pid");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(file, "wx");
      await handle.writeFile(String(process.pid));
      await handle.close();
      return { release: () => rm(file, { force: true }) };
    } catch (error) {
      if (!hasCode(error, "EEXIST")) throw error;
      const pid = Number((await readFile(file, "utf8").catch(() => "")).trim());
      if (isRunning(pid)) {
        throw new Error(
          `The embedded store in ${dataDir} is in use by process ${pid}; stop it or choose another DATA_DIR`,
        );
      }
      await rm(file, { force: true });
    }
  }
  throw new Error(`The embedded store in ${dataDir} is being opened by another process`);
}

function isRunning(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs under another user, which still holds the directory.
    return hasCode(error, "EPERM");
  }
}

function hasCode(error: unknown, code: string): boolean {
  return error instanceof Error && Reflect.get(error, "code") === code;
}
