// Builds the deps of the inbound routes that call Chatwoot (POST /contacts, /conversations, /messages, /events): the
// store and the Chatwoot client. The routes that post messages add the attachment downloader (inbound-queue-deps.ts).
import type { Config } from "../config.js";
import { ChatwootClient } from "../adapters/chatwoot-client.js";
import type { DepsOverrides, InboundRouteDeps } from "./deps.js";
import { storeDeps } from "./store-deps.js";

export function inboundDeps(config: Config, overrides: DepsOverrides = {}): InboundRouteDeps {
  const base = storeDeps(config, overrides);
  return {
    ...base,
    chatwoot: overrides.chatwoot ?? new ChatwootClient(config, { metrics: base.metrics, deadline: base.deadline }),
  };
}
