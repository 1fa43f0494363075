// Types for dynalite 4.0.0, which ships none: only the options dev/embedded-store.ts uses (see its index.js).
declare module "dynalite" {
  import type { Server } from "node:http";

  interface DynaliteOptions {
    /** LevelDB directory; in memory when absent. */
    path?: string;
    /** How long a table stays CREATING / DELETING / UPDATING (default 500 ms). */
    createTableMs?: number;
    deleteTableMs?: number;
    updateTableMs?: number;
    maxItemSizeKb?: number;
  }

  /** An http.Server whose close() also closes the LevelDB store once pending operations finish. */
  function dynalite(options?: DynaliteOptions): Server;
  export = dynalite;
}
