// Type-checks sst.config.ts and stacks/ against SST's platform types (tsconfig.infra.json). Only our files'
// diagnostics count: the platform's own sources do not meet our stricter flags, and functions/ is checked by the
// root tsconfig. The program reads ~4000 files (the AWS provider's types) and parsing them is most of the cost,
// so a passing check is remembered under node_modules/.cache with a digest of everything it read (TypeScript's
// version, the options, the root files, every file's content, this checker): the check repeats when any changed.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { isRecord } from "./fake-cli.js";
import { PLATFORM_DIR, ROOT } from "./sst-platform.js";

/** Per checkout, so worktrees sharing node_modules do not overwrite each other's record. */
const PASSED_FILE = join(
  ROOT,
  "node_modules/.cache/chatwoot-bridge",
  `infra-typecheck-${createHash("sha256").update(ROOT).digest("hex").slice(0, 12)}.json`,
);

export function infraDiagnostics(): string[] {
  const configPath = join(ROOT, "tsconfig.infra.json");
  const config = ts.readConfigFile(configPath, (path) => ts.sys.readFile(path));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT, undefined, configPath);
  const inputs = [
    ts.version,
    JSON.stringify(parsed.options),
    ...parsed.fileNames,
    readFileSync(fileURLToPath(import.meta.url), "utf8"),
    readIfPresent(join(PLATFORM_DIR, "version")),
  ];
  const passed = readPassed();
  if (passed !== undefined && passed.digest === digestOf(inputs, passed.files)) return [];
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
  ].map(describe);
  if (diagnostics.length === 0) {
    const files = program.getSourceFiles().map((source) => source.fileName);
    writePassed({ digest: digestOf(inputs, files), files });
  }
  return diagnostics;
}

function describe(diagnostic: ts.Diagnostic): string {
  const file = diagnostic.file ? relative(ROOT, diagnostic.file.fileName) : "";
  const where =
    diagnostic.file && diagnostic.start !== undefined
      ? diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start)
      : undefined;
  return `${file}${where ? `:${where.line + 1}` : ""}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n")}`;
}

/** The record of a pass: changes with any input or with the content of any file the program read. */
export function digestOf(inputs: string[], files: string[]): string {
  const hash = createHash("sha256");
  for (const input of inputs) hash.update(input).update("\0");
  for (const file of files) hash.update(file).update("\0").update(readIfPresent(file)).update("\0");
  return hash.digest("hex");
}

function readIfPresent(file: string): string {
  return existsSync(file) ? readFileSync(file, "utf8") : "(missing)";
}

interface Passed {
  digest: string;
  files: string[];
}

function readPassed(): Passed | undefined {
  if (!existsSync(PASSED_FILE)) return undefined;
  const parsed: unknown = JSON.parse(readFileSync(PASSED_FILE, "utf8"));
  if (!isRecord(parsed) || typeof parsed.digest !== "string" || !Array.isArray(parsed.files)) return undefined;
  return { digest: parsed.digest, files: parsed.files.map(String) };
}

function writePassed(passed: Passed): void {
  mkdirSync(dirname(PASSED_FILE), { recursive: true });
  // Written whole, then renamed: a reader never sees half a record.
  writeFileSync(`${PASSED_FILE}.${process.pid}`, JSON.stringify(passed));
  renameSync(`${PASSED_FILE}.${process.pid}`, PASSED_FILE);
}
