// sst.config.ts and stacks/ against SST's platform types (tsconfig.infra.json; a pass is remembered until an
// input changes, support/infra-typecheck.ts), and the one shape rule SST enforces itself: no top-level imports
// in sst.config.ts.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { digestOf, infraDiagnostics } from "./support/infra-typecheck.js";
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

  it("remembers a pass only while every file the check read is unchanged", () => {
    const dir = mkdtempSync(join(tmpdir(), "infra-typecheck-"));
    try {
      const file = join(dir, "stack.ts");
      writeFileSync(file, "export const a = 1;");
      const before = digestOf(["5.9.3"], [file]);
      expect(digestOf(["5.9.3"], [file])).toBe(before);
      writeFileSync(file, "export const a: number = 'one';");
      expect(digestOf(["5.9.3"], [file])).not.toBe(before);
      expect(digestOf(["5.9.2"], [file])).not.toBe(digestOf(["5.9.3"], [file]));
      rmSync(file);
      expect(digestOf(["5.9.3"], [file])).not.toBe(before);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
