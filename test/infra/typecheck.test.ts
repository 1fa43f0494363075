// sst.config.ts and stacks/ against SST's platform types (tsconfig.infra.json; a pass is remembered until an
// input changes, support/infra-typecheck.ts), and the one shape rule SST enforces itself: no top-level imports
// in sst.config.ts.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { infraDiagnostics } from "./support/infra-typecheck.js";
import { ROOT } from "./support/sst-platform.js";

describe("infrastructure types", () => {
  it("type-checks sst.config.ts and stacks/ against the installed SST platform", () => {
    expect(infraDiagnostics()).toEqual([]);
  }, 120_000);

  it("keeps sst.config.ts free of top-level imports, which SST refuses", () => {
    const source = ts.createSourceFile(
      "sst.config.ts",
      readFileSync(join(ROOT, "sst.config.ts"), "utf8"),
      ts.ScriptTarget.ES2022,
    );
    expect(source.statements.filter((statement) => ts.isImportDeclaration(statement)).length).toBe(0);
  });
});
