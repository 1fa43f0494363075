// node:http, loaded with require(). An ESM import of a built-in builds its ESM facade, which reads every export,
// and Node 22's node:http has lazy WebSocket, CloseEvent and MessageEvent getters that load Node's fetch (undici):
// about 25 ms of a cold start for a module only a local http: endpoint uses. require() skips the facade.
import { createRequire } from "node:module";
import type * as Http from "node:http";

export const http: typeof Http = createRequire(import.meta.url)("node:http");
