// Every link in the README and docs/ resolves inside the repository: relative files exist, and README anchors
// name one of its headings (GitHub's slugs), so a reader of a fresh clone never lands nowhere.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = new URL("../../", import.meta.url).pathname;
const DOCS = [
  "README.md",
  "CHANGELOG.md",
  ...readdirSync(join(ROOT, "docs"))
    .filter((f) => f.endsWith(".md"))
    .map((f) => `docs/${f}`),
];

function links(markdown: string): string[] {
  const outside = markdown.replace(/```[\s\S]*?```/g, "");
  return [...outside.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1] ?? "").filter((l) => !/^[a-z]+:/i.test(l));
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
function slugs(markdown: string): Set<string> {
  const headings = [...markdown.replace(/```[\s\S]*?```/g, "").matchAll(/^#+ (.+)$/gm)].map((m) => m[1] ?? "");
  return new Set(
    headings.map((h) =>
      h
        .toLowerCase()
        .replace(/[^\p{L}\p{N} _-]/gu, "")
        .replace(/ /g, "-"),
    ),
  );
}

describe("documentation links", () => {
  it.each(DOCS)("in %s resolve inside the repository", (file) => {
    const text = readFileSync(join(ROOT, file), "utf8");
    const broken: string[] = [];
    for (const link of links(text)) {
      const [path = "", anchor] = link.split("#");
      const target = path ? join(ROOT, dirname(file), path) : join(ROOT, file);
      if (!existsSync(target)) broken.push(link);
      else if (anchor && target.endsWith(".md") && !slugs(readFileSync(target, "utf8")).has(anchor)) broken.push(link);
    }
    expect(broken).toEqual([]);
  });
});
