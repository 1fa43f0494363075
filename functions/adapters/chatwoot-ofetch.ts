// ofetch's universal build, over the runtime's own fetch. In Node, `import "ofetch"` resolves the "node" export
// condition to dist/node.mjs, which bundles the node-fetch-native polyfill (about 115 KB minified) that Node 18+
// never needs; the package exports no other entry, so the universal file is named by path.
// test/unit/chatwoot-bundle.test.ts bundles the Chatwoot client as a deploy does and looks for the polyfill.
export { ofetch } from "../../node_modules/ofetch/dist/index.mjs";
