// Agents' files and locations reach the receiver (issue #7 §3, spec §5): file_type, url (Chatwoot's data_url, a
// redirect to fetch promptly), content_type, file_size and filename; a location carries its coordinates instead.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestBridge, type TestBridge, sandboxOf, receiverOf } from "../support/bridge.js";
import { openConversation, type Delivered } from "../support/replies.js";

let t: TestBridge;
beforeAll(async () => {
  t = await startTestBridge();
});
afterAll(async () => t.close());

const sandbox = () => sandboxOf(t);
const receiver = () => receiverOf(t);
const deliveredMessage = async (id: number) =>
  ((await receiver().next((d) => (d.body as Delivered).data.message?.id === id)).body as Delivered).data.message;

const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 42]);
const mp3 = new Uint8Array([0x49, 0x44, 0x33, 3, 0, 9]);

describe("an agent's attachments", () => {
  it("deliver an image as file_type, url, content_type, file_size and filename, and the url serves the bytes", async () => {
    const conversationId = await openConversation(t, "out-files-1");
    const reply = sandbox().reply(conversationId, "Here is your invoice", {
      attachments: [{ filename: "invoice.png", contentType: "image/png", data: png }],
    });
    const message = await deliveredMessage(reply.id);
    const dataUrl = ((message?.attachments ?? []) as Array<{ url?: string }>)[0]?.url ?? "";
    expect(message?.attachments).toEqual([
      {
        file_type: "image",
        url: expect.stringMatching(
          new RegExp(`^${sandbox().url}/rails/active_storage/blobs/redirect/[^/]+/invoice\\.png$`),
        ),
        content_type: "image/png",
        file_size: png.byteLength,
        filename: "invoice.png",
        extension: "png",
        thumb_url: expect.stringContaining("/rails/active_storage/representations/redirect/"),
      },
    ]);
    // data_url answers with a redirect to short-lived storage: following it yields the file.
    const first = await fetch(dataUrl, { redirect: "manual" });
    expect(first.status).toBe(302);
    expect(new Uint8Array(await (await fetch(dataUrl)).arrayBuffer())).toEqual(png);
  });

  it("deliver an audio file and a PDF of one reply in order, each with its own type and name", async () => {
    const conversationId = await openConversation(t, "out-files-2");
    const pdf = new TextEncoder().encode("%PDF-1.4");
    const reply = sandbox().reply(conversationId, null, {
      attachments: [
        { filename: "note.mp3", contentType: "audio/mpeg", data: mp3 },
        { filename: "terms.pdf", contentType: "application/pdf", data: pdf },
      ],
    });
    const message = await deliveredMessage(reply.id);
    expect(message?.content).toBeNull();
    const attachments = (message?.attachments ?? []) as Array<Record<string, unknown>>;
    expect(attachments.map((a) => [a.file_type, a.content_type, a.file_size, a.filename])).toEqual([
      ["audio", "audio/mpeg", mp3.byteLength, "note.mp3"],
      ["file", "application/pdf", pdf.byteLength, "terms.pdf"],
    ]);
  });

  it("deliver a location with its coordinates and title, and the link Chatwoot stores, without a filename", async () => {
    const conversationId = await openConversation(t, "out-files-3");
    const reply = sandbox().reply(conversationId, "We are here", {
      location: { lat: 52.52, long: 13.405, title: "Office" },
    });
    const message = await deliveredMessage(reply.id);
    expect(message?.attachments).toEqual([
      {
        file_type: "location",
        coordinates_lat: 52.52,
        coordinates_long: 13.405,
        fallback_title: "Office",
        url: "https://maps.google.com/?q=52.52,13.405",
      },
    ]);
  });
});
