// The Chatwoot client bundles ofetch's universal build over the runtime's fetch, never the node-fetch-native
// polyfill that `import "ofetch"` brings in under Node's export condition (functions/adapters/chatwoot-ofetch.ts).
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import { NODEJS_BUNDLING } from "../../stacks/function-settings.js";
import { sstBuildOptions } from "../infra/support/sst-esbuild.js";

const ENTRY = fileURLToPath(new URL("../../functions/adapters/chatwoot-client.ts", import.meta.url));

describe("the Chatwoot client's bundle", () => {
  it("holds ofetch's universal build and no node-fetch-native, bundled as a deploy bundles it", async () => {
    const options = await sstBuildOptions(ENTRY, "chatwoot-client.mjs", NODEJS_BUNDLING);
    const result = await build({ ...options, write: false });
    const packages = Object.keys(result.metafile?.inputs ?? {})
      .map((input) => /node_modules\/(.+)$/.exec(input)?.[1])
      .filter((path): path is string => path !== undefined);
    expect(packages.filter((path) => path.startsWith("node-fetch-native"))).toEqual([]);
    expect(packages.filter((path) => path.startsWith("ofetch/"))).toEqual([
      expect.stringMatching(/^ofetch\/dist\/shared\/ofetch\.\w+\.mjs$/),
      "ofetch/dist/index.mjs",
    ]);
  });
});
