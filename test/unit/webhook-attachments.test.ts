// toAttachment(): each of Chatwoot's attachment kinds (CONTRACT.md §2.5) delivered with its own fields (spec §5).
import { describe, expect, it } from "vitest";
import { toAttachment } from "../../functions/core/message-parts.js";

const base = { id: 9, message_id: 91207, account_id: 3 };
const redirect =
  "https://chat.example.com/rails/active_storage/blobs/redirect/eyJfcmFpbHMi--abc/voice%20note.mp3?disposition=inline";

describe("toAttachment", () => {
  it("turns a file's data_url into url and reads the filename from its last segment, query left out", () => {
    expect(
      toAttachment({
        ...base,
        file_type: "audio",
        extension: "mp3",
        content_type: "audio/mpeg",
        data_url: redirect,
        thumb_url: "",
        file_size: 4096,
        width: null,
        height: null,
      }),
    ).toEqual({
      file_type: "audio",
      url: redirect,
      filename: "voice note.mp3",
      content_type: "audio/mpeg",
      file_size: 4096,
      extension: "mp3",
      thumb_url: "",
    });
  });

  it("keeps a location's coordinates and title, and its link as url without inventing a filename", () => {
    const link = "https://maps.example.com/place/office";
    expect(
      toAttachment({
        ...base,
        file_type: "location",
        coordinates_lat: 52.52,
        coordinates_long: 13.405,
        fallback_title: "Office",
        data_url: link,
      }),
    ).toEqual({
      file_type: "location",
      url: link,
      coordinates_lat: 52.52,
      coordinates_long: 13.405,
      fallback_title: "Office",
    });
  });

  it("keeps a fallback's title and link, and a shared contact's title and meta", () => {
    const link = "https://example.com/shared/story";
    expect(toAttachment({ ...base, file_type: "fallback", fallback_title: "A story", data_url: link })).toEqual({
      file_type: "fallback",
      url: link,
      fallback_title: "A story",
    });
    expect(
      toAttachment({ ...base, file_type: "contact", fallback_title: "+4915112345678", meta: { firstName: "Ada" } }),
    ).toEqual({ file_type: "contact", fallback_title: "+4915112345678", meta: { firstName: "Ada" } });
  });

  it("ignores what is not an attachment object", () => {
    expect([toAttachment(null), toAttachment("x"), toAttachment([1])]).toEqual([undefined, undefined, undefined]);
  });
});
