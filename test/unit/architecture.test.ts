// Reads every file's imports and fails when a layering rule of STYLE.md §1 is broken.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { deliveryWorker, routes } from "../../stacks/routes.js";

const ROOT = new URL("../../", import.meta.url).pathname;

function filesUnder(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    return statSync(join(ROOT, path)).isDirectory() ? filesUnder(path) : path.endsWith(".ts") ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), "utf8");
  return [
    ...text.matchAll(/(?:^|\n)\s*(?:import|export)[^"'`;]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g),
  ].map((m) => m[1] ?? m[2] ?? "");
}

function violations(dir: string, allowed: (specifier: string, file: string) => boolean): string[] {
  return filesUnder(dir).flatMap((file) =>
    importsOf(file)
      .filter((s) => !allowed(s, file))
      .map((s) => `${file} imports ${s}`),
  );
}

const HARMLESS_NODE = new Set(["node:crypto", "node:timers/promises", "node:util", "node:buffer"]);

describe("layering", () => {
  it("keeps core/ free of SDKs, HTTP libraries, Lambda types and other layers", () => {
    expect(
      violations("functions/core", (s) => (s.startsWith("./") && !s.includes("..")) || HARMLESS_NODE.has(s)),
    ).toEqual([]);
  });

  it("lets adapters implement core ports but never reach into handlers, edge, dev or test", () => {
    expect(violations("functions/adapters", (s) => !/(handlers|edge|wiring|\/dev\/|\/test\/)/.test(s))).toEqual([]);
  });

  it("keeps handlers off SDKs and adapters: they use edge/, core/ and wiring.ts", () => {
    expect(violations("functions/handlers", (s) => !/^@aws-sdk|^ofetch|adapters\//.test(s))).toEqual([]);
  });

  it("never imports dev/ or test/ from functions/", () => {
    expect(violations("functions", (s) => !/(^|\/)(dev|test)\//.test(s))).toEqual([]);
  });

  it("reads SST's Resource only in wiring.ts", () => {
    const users = filesUnder("functions").filter((file) => importsOf(file).includes("sst"));
    expect(users).toEqual(["functions/wiring.ts"]);
  });
});

describe("the route manifest", () => {
  it("points every route and the worker at a handler file exporting `handler`", async () => {
    const entries = [...routes.map((r) => r.handler), deliveryWorker.handler];
    for (const entry of entries) {
      const module: Record<string, unknown> = await import(join(ROOT, `${entry}.ts`));
      expect(Object.keys(module), entry).toEqual(["handler"]);
      expect(typeof module.handler, entry).toBe("function");
    }
  });

  it("has one handler file per route, and no handler file outside the manifest", () => {
    const listed = new Set([...routes.map((r) => `${r.handler}.ts`), `${deliveryWorker.handler}.ts`]);
    const files = filesUnder("functions/handlers").map((f) => relative(ROOT, join(ROOT, f)));
    expect(files.sort()).toEqual([...listed].sort());
  });
});
