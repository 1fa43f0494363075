// loadAttachments(): a message's files in hand before anything is created in Chatwoot (spec §3.3). URL attachments
// are downloaded a few at a time under a per-file and a per-message cap; the first refusal stops the others.
import { AttachmentError, BridgeError, type AttachmentFailureKind } from "./errors.js";
import type { AttachmentFetcher, InboundAttachment, OutgoingAttachment } from "./ports.js";

/** Spec §3.3: each downloaded file is at most 20 MB. */
export const MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024;
/** One message's files together: 15 × 20 MB held twice (bytes, multipart body) would not fit the function's memory. */
export const MAX_MESSAGE_ATTACHMENT_BYTES = 50 * 1024 * 1024;
/** Downloads at once: enough to overlap latencies, few enough not to hammer one host. */
const PARALLEL_DOWNLOADS = 5;
/** All of one message's downloads: leaves the Chatwoot calls their time within the function's 29 s. */
export const MESSAGE_DOWNLOAD_MS = 10_000;

const REASONS: Record<Exclude<AttachmentFailureKind, "too_large" | "http_status">, string> = {
  not_https: "must be an https URL",
  blocked_address: "points to a private, loopback, link-local or otherwise internal address",
  unresolvable: "has a host name that does not resolve",
  unreachable: "could not be reached",
  timeout: "did not answer in time",
  too_many_redirects: "redirected more than 3 times",
  bad_redirect: "redirected to an invalid location",
  aborted: "was not downloaded because another attachment failed",
};

/** The message's files in the client's order; throws a BridgeError (4xx) naming the first attachment refused. */
export async function loadAttachments(
  fetcher: AttachmentFetcher,
  attachments: InboundAttachment[],
  options: { budgetMs?: number } = {},
): Promise<OutgoingAttachment[]> {
  let usedBytes = attachments.reduce((sum, a) => sum + (a.kind === "inline" ? a.file.data.byteLength : 0), 0);
  let totalExceeded = usedBytes > MAX_MESSAGE_ATTACHMENT_BYTES;
  if (totalExceeded) throw totalTooLarge();
  const reserve = (bytes: number): boolean => {
    if (usedBytes + bytes > MAX_MESSAGE_ATTACHMENT_BYTES) {
      totalExceeded = true;
      return false;
    }
    usedBytes += bytes;
    return true;
  };
  const controller = new AbortController();
  const files = attachments.map((a) => (a.kind === "inline" ? a.file : undefined));
  const queue = attachments.flatMap((a, index) => (a.kind === "url" ? [{ index, source: a.source }] : []));
  let failure: { error: unknown } | undefined;
  const running = new Set<number>();
  const worker = async (): Promise<void> => {
    for (let next = queue.shift(); next && !failure; next = queue.shift()) {
      running.add(next.index);
      try {
        files[next.index] = await fetcher.fetch(next.source, {
          maxBytes: MAX_ATTACHMENT_BYTES,
          reserve,
          signal: controller.signal,
        });
      } catch (error) {
        // The first failure wins; the siblings it aborts fail after it and are not reported.
        failure ??= { error: refusal(error, next.index, totalExceeded) };
        controller.abort();
      } finally {
        running.delete(next.index);
      }
    }
  };
  // Out of time: the first attachment still downloading is the one named.
  const timer = setTimeout(() => {
    failure ??= { error: refusal(new AttachmentError("timeout"), running.size ? Math.min(...running) : 0, false) };
    controller.abort();
  }, options.budgetMs ?? MESSAGE_DOWNLOAD_MS);
  try {
    await Promise.all(Array.from({ length: Math.min(PARALLEL_DOWNLOADS, queue.length) }, worker));
  } finally {
    clearTimeout(timer);
  }
  if (failure) throw failure.error;
  return files.filter((file): file is OutgoingAttachment => file !== undefined);
}

function refusal(error: unknown, index: number, totalExceeded: boolean): unknown {
  if (!(error instanceof AttachmentError)) return error;
  const path = `attachments.${index}.url`;
  if (error.kind === "too_large") {
    if (totalExceeded) return totalTooLarge(error);
    return new BridgeError("payload_too_large", `attachment ${index} is larger than 20 MB`, {
      details: [{ path, message: "larger than 20 MB" }],
      cause: error,
    });
  }
  const reason =
    error.kind === "http_status"
      ? `could not be downloaded: the server answered ${error.status ?? "an error"}`
      : REASONS[error.kind];
  return new BridgeError("validation_failed", `attachment ${index} ${reason}`, {
    details: [{ path, message: reason }],
    cause: error,
  });
}

function totalTooLarge(cause?: unknown): BridgeError {
  return new BridgeError("payload_too_large", "the attachments of one message together are larger than 50 MB", {
    details: [{ path: "attachments", message: "larger than 50 MB together" }],
    cause,
  });
}
