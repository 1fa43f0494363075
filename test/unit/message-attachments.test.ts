// loadAttachments(): order kept, downloads bounded and shared-capped, the first refusal named by its index and path.
import { describe, expect, it } from "vitest";
import { AttachmentError, BridgeError, type AttachmentFailureKind } from "../../functions/core/errors.js";
import { loadAttachments, MAX_MESSAGE_ATTACHMENT_BYTES } from "../../functions/core/message-attachments.js";
import type {
  AttachmentFetcher,
  AttachmentSource,
  DownloadLimits,
  InboundAttachment,
  OutgoingAttachment,
} from "../../functions/core/ports.js";

const MB = 1024 * 1024;

/** A fetcher whose files are plans: a size to "download" through the shared budget, or a failure. */
class FakeFetcher implements AttachmentFetcher {
  active = 0;
  maxActive = 0;
  readonly aborted: string[] = [];

  constructor(
    private readonly plans: Record<
      string,
      { bytes?: number; fail?: AttachmentFailureKind; status?: number; hold?: boolean }
    >,
  ) {}

  async fetch(source: AttachmentSource, limits: DownloadLimits): Promise<OutgoingAttachment> {
    const plan = this.plans[source.url] ?? {};
    this.active++;
    this.maxActive = Math.max(this.maxActive, this.active);
    try {
      if (plan.hold) {
        // Held until the downloads are stopped.
        await new Promise<void>((resolve) => limits.signal.addEventListener("abort", () => resolve()));
      } else {
        await Promise.resolve();
      }
      if (limits.signal.aborted) {
        this.aborted.push(source.url);
        throw new AttachmentError("aborted");
      }
      if (plan.fail) throw new AttachmentError(plan.fail, plan.status !== undefined ? { status: plan.status } : {});
      const bytes = plan.bytes ?? 3;
      if (bytes > limits.maxBytes || !limits.reserve(bytes)) throw new AttachmentError("too_large");
      return {
        filename: source.filename ?? source.url,
        contentType: "image/png",
        data: new Uint8Array(Math.min(bytes, 8)),
      };
    } finally {
      this.active--;
    }
  }
}

const url = (name: string): InboundAttachment => ({ kind: "url", source: { url: name } });
const inline = (name: string, bytes = 2): InboundAttachment => ({
  kind: "inline",
  file: { filename: name, contentType: "text/plain", data: new Uint8Array(bytes) },
});

async function refusal(promise: Promise<unknown>): Promise<{ code: string; message: string; details: unknown }> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof BridgeError)) throw new Error(`expected a BridgeError, got ${String(error)}`);
  return { code: error.code, message: error.message, details: error.details };
}

describe("loadAttachments", () => {
  it("returns inline files and downloads in the client's order", async () => {
    const files = await loadAttachments(new FakeFetcher({}), [url("a"), inline("b"), url("c"), inline("d")]);
    expect(files.map((f) => f.filename)).toEqual(["a", "b", "c", "d"]);
  });

  it("downloads at most five at a time", async () => {
    const fetcher = new FakeFetcher({});
    await loadAttachments(
      fetcher,
      Array.from({ length: 15 }, (_, i) => url(`f${i}`)),
    );
    expect(fetcher.maxActive).toBe(5);
  });

  it("names the refused attachment by index and path, with a readable reason", async () => {
    const plans = { bad: { fail: "blocked_address" as const }, gone: { fail: "http_status" as const, status: 404 } };
    expect(await refusal(loadAttachments(new FakeFetcher(plans), [url("ok"), inline("x"), url("bad")]))).toEqual({
      code: "validation_failed",
      message: "attachment 2 points to a private, loopback, link-local or otherwise internal address",
      details: [
        {
          path: "attachments.2.url",
          message: "points to a private, loopback, link-local or otherwise internal address",
        },
      ],
    });
    expect(await refusal(loadAttachments(new FakeFetcher(plans), [url("gone")]))).toMatchObject({
      code: "validation_failed",
      details: [{ path: "attachments.0.url", message: "could not be downloaded: the server answered 404" }],
    });
  });

  it("answers payload_too_large for one file over 20 MB, naming it", async () => {
    expect(
      await refusal(loadAttachments(new FakeFetcher({ huge: { bytes: 20 * MB + 1 } }), [url("small"), url("huge")])),
    ).toEqual({
      code: "payload_too_large",
      message: "attachment 1 is larger than 20 MB",
      details: [{ path: "attachments.1.url", message: "larger than 20 MB" }],
    });
  });

  it("answers payload_too_large when the files together pass the message's cap, each one under 20 MB", async () => {
    const plans = { a: { bytes: 18 * MB }, b: { bytes: 18 * MB }, c: { bytes: 18 * MB } };
    expect(MAX_MESSAGE_ATTACHMENT_BYTES).toBe(50 * MB);
    expect(await refusal(loadAttachments(new FakeFetcher(plans), [url("a"), url("b"), url("c")]))).toEqual({
      code: "payload_too_large",
      message: "the attachments of one message together are larger than 50 MB",
      details: [{ path: "attachments", message: "larger than 50 MB together" }],
    });
    expect((await loadAttachments(new FakeFetcher(plans), [url("a"), url("b")])).length).toBe(2);
  });

  it("stops the other downloads at the first refusal and reports that one, not the aborted ones", async () => {
    const fetcher = new FakeFetcher({ slow1: { hold: true }, slow2: { hold: true }, bad: { fail: "timeout" } });
    const result = await refusal(loadAttachments(fetcher, [url("slow1"), url("slow2"), url("bad")]));
    expect(result.details).toEqual([{ path: "attachments.2.url", message: "did not answer in time" }]);
    expect(fetcher.aborted.sort()).toEqual(["slow1", "slow2"]);
  });

  it("gives all of a message's downloads one time budget, naming the first one still running when it ends", async () => {
    const fetcher = new FakeFetcher({ held1: { hold: true }, held2: { hold: true } });
    const result = await refusal(
      loadAttachments(fetcher, [inline("x"), url("quick"), url("held1"), url("held2")], { budgetMs: 20 }),
    );
    expect(result).toEqual({
      code: "validation_failed",
      message: "attachment 2 did not answer in time",
      details: [{ path: "attachments.2.url", message: "did not answer in time" }],
    });
    expect(fetcher.aborted.sort()).toEqual(["held1", "held2"]);
  });

  it("passes on an unexpected error untouched (a 500, not a client error)", async () => {
    const broken: AttachmentFetcher = { fetch: async () => Promise.reject(new TypeError("bug")) };
    await expect(loadAttachments(broken, [url("a")])).rejects.toThrow(TypeError);
  });
});
