// `npm run openapi`: writes docs/openapi.json, the committed copy a test compares with what the code builds.
import { writeFileSync } from "node:fs";
import { buildOpenApi } from "./document.js";

writeFileSync(new URL("../../docs/openapi.json", import.meta.url), `${JSON.stringify(buildOpenApi(), null, 2)}\n`);
