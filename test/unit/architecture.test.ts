// Reads every file's imports and fails when a layering rule of STYLE.md §1 is broken.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { queueWorkers, routes, sweep } from "../../stacks/routes.js";

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
  it("keeps core/ free of SDKs, HTTP libraries, Lambda types and other layers (zod/mini reads untrusted data)", () => {
    expect(
      violations(
        "functions/core",
        (s) => (s.startsWith("./") && !s.includes("..")) || HARMLESS_NODE.has(s) || s === "zod/mini",
      ),
    ).toEqual([]);
  });

  it("lets adapters implement core ports but never reach into handlers, routes, edge, compose, dev or test", () => {
    expect(violations("functions/adapters", (s) => !/(handlers|routes|edge|compose|\/dev\/|\/test\/)/.test(s))).toEqual(
      [],
    );
  });

  it("keeps handler files to the entry: a deps builder, lambdaEntry and their route", () => {
    expect(violations("functions/handlers", (s) => /^\.\.\/(compose|routes)\//.test(s))).toEqual([]);
  });

  it("keeps routes and edge off SDKs, adapters and the composition root: deps arrive as an argument", () => {
    const allowed = (s: string) => !/^@aws-sdk|^ofetch|^sst(\/|$)|adapters\/|handlers\/|compose\/(?!deps\.js)/.test(s);
    expect([...violations("functions/routes", allowed), ...violations("functions/edge", allowed)]).toEqual([]);
  });

  it("never imports dev/ or test/ from functions/", () => {
    expect(violations("functions", (s) => !/(^|\/)(dev|test)\//.test(s))).toEqual([]);
  });

  it("reads SST's Resource only in compose/config-source.ts", () => {
    const users = filesUnder("functions").filter((file) => importsOf(file).some((s) => /^sst(\/|$)/.test(s)));
    expect(users).toEqual(["functions/compose/config-source.ts"]);
  });
});

/** Calls and assignments that change a container held by `name`. */
function mutates(text: string, name: string): boolean {
  const methods = "set|add|delete|clear|push|pop|shift|unshift|splice|sort|reverse|fill|copyWithin";
  const call = new RegExp(`\\b${name}\\s*\\.\\s*(${methods})\\s*\\(`);
  const write = new RegExp(`\\b${name}\\s*(\\.\\s*\\w+|\\[[^\\]]*\\])\\s*(=(?!=)|\\+=|-=|\\+\\+|--|\\?\\?=)`);
  const assign = new RegExp(`Object\\.assign\\(\\s*${name}\\b|delete\\s+${name}\\b`);
  return call.test(text) || write.test(text) || assign.test(text);
}

const CONTAINER = /^(new\s+(Map|Set|WeakMap|WeakSet|Array)\b|\[|\{)/;

/** Top-level `let`/`var`, and top-level `const` containers the file changes: state shared by every request. */
function moduleState(file: string, text = readFileSync(join(ROOT, file), "utf8")): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  return source.statements.flatMap((statement) => {
    if (!ts.isVariableStatement(statement)) return [];
    const list = statement.declarationList;
    const kind = list.flags & ts.NodeFlags.Let ? "let" : list.flags & ts.NodeFlags.Const ? "const" : "var";
    return list.declarations.flatMap((declaration) => {
      const name = declaration.name.getText(source);
      if (kind !== "const") return [`${file}: ${kind} ${name}`];
      const init = declaration.initializer?.getText(source) ?? "";
      return CONTAINER.test(init) && mutates(text, name) ? [`${file}: const ${name} (mutated)`] : [];
    });
  });
}

describe("state", () => {
  // The one allowed spot: each handler file's `handler`, made by lambdaEntry (functions/compose/lambda-entry.ts,
  // wrapped for HTTP routes by http-lambda-entry.ts),
  // holds that Lambda's per-cold-start cache in its closure. Nothing else outlives a request at module level.
  it("keeps functions/ free of module-level mutable state", () => {
    expect(filesUnder("functions").flatMap((file) => moduleState(file))).toEqual([]);
  });

  it("finds the kinds of module state it forbids", () => {
    const planted = [
      "let cached: Promise<number> | undefined;",
      "var count = 0;",
      "const byId = new Map<string, number>();",
      "export function remember(id: string) { byId.set(id, 1); }",
      "const seen: string[] = [];",
      "export const note = (id: string) => seen.push(id);",
      "const settings = { retries: 1 };",
      "export const bump = () => { settings.retries += 1; };",
      "const FIXED = new Set([1, 2]);",
      "export const has = (n: number) => FIXED.has(n);",
    ].join("\n");
    expect(moduleState("planted.ts", planted)).toEqual([
      "planted.ts: let cached",
      "planted.ts: var count",
      "planted.ts: const byId (mutated)",
      "planted.ts: const seen (mutated)",
      "planted.ts: const settings (mutated)",
    ]);
  });

  it("makes every handler file one entry: `export const handler = lambdaEntry(builder, route)` (httpLambdaEntry for HTTP; unconfiguredEntry(route) for a route that reads no configuration)", () => {
    const entries = filesUnder("functions/handlers").map((file) => {
      const text = readFileSync(join(ROOT, file), "utf8");
      const code = text.split("\n").filter((line) => !/^\s*(\/\/|import |$)/.test(line));
      return [file, code.join("\n")];
    });
    for (const [file, code] of entries)
      expect(code, file).toMatch(
        /^export const handler = ((http)?[lL]ambdaEntry\(\w+, \w+Route\)|unconfiguredEntry\(\w+Route\));$/,
      );
  });
});

describe("the route manifest", () => {
  it("points every route, worker and the sweep at a handler file exporting `handler`", async () => {
    const entries = [...routes.map((r) => r.handler), ...queueWorkers.map((w) => w.handler), sweep.handler];
    for (const entry of entries) {
      const module: Record<string, unknown> = await import(join(ROOT, `${entry}.ts`));
      expect(Object.keys(module), entry).toEqual(["handler"]);
      expect(typeof module.handler, entry).toBe("function");
    }
  });

  it("names for every route, worker and the sweep a route factory the local runtime can build with its deps", async () => {
    for (const entry of [...routes, ...queueWorkers, sweep]) {
      const module: Record<string, unknown> = await import(join(ROOT, `${entry.route}.ts`));
      expect(typeof module[entry.factory], `${entry.route} ${entry.factory}`).toBe("function");
    }
  });

  it("has one handler file per route, and no handler file outside the manifest", () => {
    const listed = new Set([...routes, ...queueWorkers, sweep].map((r) => `${r.handler}.ts`));
    const files = filesUnder("functions/handlers").map((f) => relative(ROOT, join(ROOT, f)));
    expect(files.sort()).toEqual([...listed].sort());
  });
});
