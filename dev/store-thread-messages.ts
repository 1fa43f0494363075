// What the bridge's thread and the store's thread (dev/store-thread.ts) send each other.
import type { TableReady } from "./local-table.js";

/** A request the SDK built and signed: the fields dev/in-process-store.ts reads. */
export interface StoreAsk {
  id: number;
  request: {
    method: string;
    path: string;
    query?: Record<string, string | Array<string> | null>;
    headers: Record<string, string>;
    body?: unknown;
  };
}

/** dynalite's answer, or why the thread could not give one. */
export interface StoreAnswer {
  id: number;
  statusCode?: number;
  headers?: Record<string, string>;
  body?: Uint8Array<ArrayBuffer>;
  error?: string;
}

export interface StoreReady {
  endpoint: string;
  table: TableReady;
}
