// sst.config.ts and stacks/ against SST's platform types (tsconfig.infra.json), and the one shape rule SST
// enforces itself: no top-level imports in sst.config.ts. Only our files' diagnostics count: the platform's
// own sources do not meet our stricter flags, and functions/ is checked by the root tsconfig.
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { ROOT } from "./support/sst-platform.js";

function infraDiagnostics(): string[] {
  const configPath = join(ROOT, "tsconfig.infra.json");
  const config = ts.readConfigFile(configPath, (path) => ts.sys.readFile(path));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT, undefined, configPath);
  const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options });
  // Diagnostics of our files only: asking per file also spares checking the whole platform (seconds).
  const ours = program.getSourceFiles().filter((source) => {
    const file = relative(ROOT, source.fileName);
    return file === "sst.config.ts" || file.startsWith("stacks/");
  });
  const diagnostics = [
    ...program.getOptionsDiagnostics(),
    ...ours.flatMap((source) => [
      ...program.getSyntacticDiagnostics(source),
      ...program.getSemanticDiagnostics(source),
    ]),
  ];
  return diagnostics.map((diagnostic) => {
    const file = diagnostic.file ? relative(ROOT, diagnostic.file.fileName) : "";
    const where =
      diagnostic.file && diagnostic.start !== undefined
        ? diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start)
        : undefined;
    return `${file}${where ? `:${where.line + 1}` : ""}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n")}`;
  });
}

describe("infrastructure types", () => {
  it("type-checks sst.config.ts and stacks/ against the installed SST platform", () => {
    expect(infraDiagnostics()).toEqual([]);
  }, 60_000);

  it("keeps sst.config.ts free of top-level imports, which SST refuses", () => {
    const source = ts.createSourceFile(
      "sst.config.ts",
      readFileSync(join(ROOT, "sst.config.ts"), "utf8"),
      ts.ScriptTarget.ES2022,
    );
    expect(source.statements.filter((statement) => ts.isImportDeclaration(statement)).length).toBe(0);
  });
});
