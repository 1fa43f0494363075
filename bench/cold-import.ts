// One cold import of a bundle: a fresh node process imports it and reports, from inside (node's own start-up not
// counted), how long the import took and how long until Node's fetch (undici) was loaded too. The bundles leave
// fetch to the first Chatwoot call (functions/adapters/chatwoot-http.ts); reading `globalThis.Headers` loads it, as
// ofetch does, so the second figure is when a first Chatwoot call can start.
import { execFileSync } from "node:child_process";

const IMPORT_ONCE = [
  "const started = performance.now();",
  "const module = await import(process.argv[1]);",
  'if (typeof module.handler !== "function") throw new Error("no handler export");',
  "const imported = performance.now() - started;",
  "globalThis.Headers;",
  "process.stdout.write(JSON.stringify([imported, performance.now() - started]));",
].join("\n");

export interface ColdImport {
  importMs: number;
  /** The import, then Node's fetch. */
  importFetchMs: number;
}

/** `file` should live outside the repository: a package the bundle did not hold then fails to load, as in Lambda. */
export function coldImport(file: string, nodeFlags: string[] = []): ColdImport {
  const output = execFileSync(process.execPath, [...nodeFlags, "--input-type=module", "-e", IMPORT_ONCE, file], {
    encoding: "utf8",
  });
  const [importMs, importFetchMs]: unknown[] = JSON.parse(output);
  return { importMs: Number(importMs), importFetchMs: Number(importFetchMs) };
}
