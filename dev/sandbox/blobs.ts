// Attachment bytes and their ActiveStorage-style URLs: `data_url` is a redirect endpoint that answers
// 302 to a short-lived disk URL serving the bytes (CONTRACT.md §2.5 "data_url is a redirect", §8.9).
import { createHmac, randomBytes } from "node:crypto";
import type { FileType, UploadedFile } from "./types.js";

/** ActiveStorage's default `service_urls_expire_in`: the redirect target stops working after this. */
const DISK_URL_TTL_MS = 5 * 60_000;

export interface Blob {
  key: string;
  file: UploadedFile;
}

export type BlobReply =
  | { kind: "redirect"; location: string }
  | { kind: "file"; file: UploadedFile }
  | { kind: "missing" };

export class BlobStore {
  private readonly blobs = new Map<string, Blob>();

  constructor(
    private readonly nowMs: () => number = Date.now,
    /** Rails' secret_key_base: a saved one keeps earlier URLs valid after a restart. */
    readonly signingKey: Buffer = randomBytes(16),
  ) {}

  put(file: UploadedFile): string {
    const key = randomBytes(14).toString("hex");
    this.blobs.set(key, { key, file });
    return key;
  }

  delete(key: string): void {
    this.blobs.delete(key);
  }

  /** Every stored file with its key, for the data file. */
  entries(): Blob[] {
    return [...this.blobs.values()];
  }

  /** Puts a saved file back under its key. */
  restore(key: string, file: UploadedFile): void {
    this.blobs.set(key, { key, file });
  }

  /** `<base>/rails/active_storage/blobs/redirect/<signed_id>/<filename>`. */
  redirectUrl(baseUrl: string, key: string, filename: string): string {
    return `${baseUrl}/rails/active_storage/blobs/redirect/${this.sign({ key })}/${encodeURIComponent(filename)}`;
  }

  /** Image thumbnails: a representation redirect, served from the same bytes (no resizing here). */
  thumbUrl(baseUrl: string, key: string, filename: string): string {
    const variation = Buffer.from(JSON.stringify({ resize_to_fill: [250, null] })).toString("base64");
    return `${baseUrl}/rails/active_storage/representations/redirect/${this.sign({ key })}/${variation}/${encodeURIComponent(filename)}`;
  }

  /** Answers GETs under /rails/active_storage/. */
  serve(baseUrl: string, pathname: string): BlobReply {
    const parts = pathname.split("/").filter((part) => part !== "");
    const [, , kind, action, token] = parts;
    if ((kind === "blobs" || kind === "representations") && action === "redirect" && token !== undefined) {
      const payload = this.verify(token);
      const blob = payload === undefined ? undefined : this.blobs.get(payload.key);
      if (blob === undefined) return { kind: "missing" };
      const disk = this.sign({ key: blob.key, exp: this.nowMs() + DISK_URL_TTL_MS });
      return {
        kind: "redirect",
        location: `${baseUrl}/rails/active_storage/disk/${disk}/${encodeURIComponent(blob.file.filename)}`,
      };
    }
    if (kind === "disk" && action !== undefined) {
      const payload = this.verify(action);
      if (payload === undefined || (payload.exp ?? 0) < this.nowMs()) return { kind: "missing" };
      const blob = this.blobs.get(payload.key);
      return blob === undefined ? { kind: "missing" } : { kind: "file", file: blob.file };
    }
    return { kind: "missing" };
  }

  private sign(payload: { key: string; exp?: number }): string {
    const data = Buffer.from(JSON.stringify({ _rails: payload })).toString("base64url");
    return `${data}--${createHmac("sha1", this.signingKey).update(data).digest("hex")}`;
  }

  private verify(token: string): { key: string; exp?: number } | undefined {
    const [data, digest] = token.split("--");
    if (data === undefined || digest !== createHmac("sha1", this.signingKey).update(data).digest("hex"))
      return undefined;
    const parsed: unknown = JSON.parse(Buffer.from(data, "base64url").toString("utf8"));
    if (typeof parsed !== "object" || parsed === null || !("_rails" in parsed)) return undefined;
    const inner: unknown = parsed._rails;
    if (typeof inner !== "object" || inner === null || !("key" in inner) || typeof inner.key !== "string")
      return undefined;
    const exp = "exp" in inner && typeof inner.exp === "number" ? inner.exp : undefined;
    return { key: inner.key, exp };
  }
}

/** app/helpers/file_type_helper.rb: image, video, audio by MIME type, anything else `file`. */
export function fileTypeOf(contentType: string): FileType {
  if (contentType.startsWith("image/")) return "image";
  if (contentType.startsWith("video/")) return "video";
  if (contentType.startsWith("audio/")) return "audio";
  return "file";
}

export function extensionOf(filename: string): string | null {
  const match = /\.([^./\\]+)$/.exec(filename);
  return match?.[1] ?? null;
}
