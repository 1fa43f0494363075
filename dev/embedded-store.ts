// The local DynamoDB: dynalite in this process, persisted under DATA_DIR/dynamodb so a restart keeps
// every mapping and message record. Listens on 127.0.0.1 (an ephemeral port unless one is given).
import { mkdir } from "node:fs/promises";
import type { Server } from "node:http";
import { join } from "node:path";
import type { HttpHandler } from "@smithy/core/protocols";
import dynalite from "dynalite";
import { inProcessStoreHandler } from "./in-process-store.js";
import { ensureTable, type TableReady } from "./local-table.js";
import { lockStoreDir } from "./store-lock.js";

export { ensureTable, type TableReady } from "./local-table.js";

export interface EmbeddedStoreOptions {
  dataDir: string;
  host?: string;
  /** 0 or absent: an ephemeral port. */
  port?: number;
  tableName: string;
}

export interface EmbeddedStore {
  endpoint: URL;
  table: TableReady;
  /** For a DynamoDB client in this process: answers without loopback HTTP (dev/in-process-store.ts). */
  requestHandler: HttpHandler;
  /** Stops listening, waits for pending writes, then closes LevelDB (its lock is freed for the next start). */
  close(): Promise<void>;
}

export async function startEmbeddedStore(options: EmbeddedStoreOptions): Promise<EmbeddedStore> {
  const path = join(options.dataDir, "dynamodb");
  await mkdir(path, { recursive: true });
  const lock = await lockStoreDir(options.dataDir);
  const server = dynalite({ path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const close = async () => {
    try {
      await closeServer(server);
    } finally {
      await lock.release();
    }
  };
  try {
    const host = options.host ?? "127.0.0.1";
    const port = await listen(server, options.port ?? 0, host);
    const endpoint = new URL(`http://${host.includes(":") ? `[${host}]` : host}:${port}`);
    const table = await ensureTable(endpoint, options.tableName);
    return { endpoint, table, requestHandler: inProcessStoreHandler(server), close };
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      const address = server.address();
      if (address === null || typeof address === "string") reject(new Error("The embedded store has no TCP address"));
      else resolve(address.port);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    // Keep-alive sockets of clients that are still alive would hold close() open until they time out.
    server.closeIdleConnections();
  });
}
