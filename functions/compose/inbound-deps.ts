// Builds the deps of the inbound routes that call Chatwoot (POST /contacts, /conversations, /messages): the store,
// the Chatwoot client and the attachment downloader.
import type { Config } from "../config.js";
import { AttachmentDownloader } from "../adapters/attachment-fetcher.js";
import { ChatwootClient } from "../adapters/chatwoot-client.js";
import type { DepsOverrides, InboundRouteDeps } from "./deps.js";
import { storeDeps } from "./store-deps.js";

export function inboundDeps(config: Config, overrides: DepsOverrides = {}): InboundRouteDeps {
  const base = storeDeps(config, overrides);
  return {
    ...base,
    chatwoot: overrides.chatwoot ?? new ChatwootClient(config, { metrics: base.metrics, deadline: base.deadline }),
    attachments:
      overrides.attachments ??
      new AttachmentDownloader({ allowHosts: config.attachmentAllowHosts, deadline: base.deadline }),
  };
}
