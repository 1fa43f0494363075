// Reads a local state file that may not exist yet (the local queue's, the sandbox's). Any other failure is thrown.
import { readFileSync } from "node:fs";

/** The file's text, or undefined when there is no such file. */
export function readTextIfPresent(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    if (error instanceof Error && "code" in error && error.code === "ENOENT") return undefined;
    throw error;
  }
}
