// The snapshot of the shared Chatwoot reference files must equal the live copy wherever the live one is present.
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { liveSharedDir, snapshotFile } from "../support/shared-dir.js";

const live = liveSharedDir();
const files = [
  ...readdirSync(snapshotFile("chatwoot/webhooks/")).map((name) => `chatwoot/webhooks/${name}`),
  "chatwoot/openapi/application_swagger.json",
  "chatwoot/openapi/SOURCE.txt",
  "chatwoot/CONTRACT.md",
];

describe.skipIf(live === undefined)("the test snapshot of shared/", () => {
  it.each(files)("holds %s byte for byte as shared/ does", (path) => {
    if (!live) throw new Error("unreachable");
    expect(readFileSync(snapshotFile(path)).equals(readFileSync(new URL(path, live)))).toBe(true);
  });

  it("holds every webhook example shared/ has", () => {
    if (!live) throw new Error("unreachable");
    expect(readdirSync(snapshotFile("chatwoot/webhooks/")).sort()).toEqual(
      readdirSync(new URL("chatwoot/webhooks/", live)).sort(),
    );
  });
});
