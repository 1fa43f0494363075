// A base URL's credentials travel as Basic auth and are never part of the URL used or printed.
import { describe, expect, it } from "vitest";
import { splitCredentials } from "../../functions/adapters/base-url.js";

describe("splitCredentials", () => {
  it("moves user:password@ into a Basic authorization header", () => {
    expect(splitCredentials("https://ad%40min:p%3Ass@chat.example.com/base/")).toEqual({
      url: "https://chat.example.com/base/",
      headers: { authorization: `Basic ${Buffer.from("ad@min:p:ss").toString("base64")}` },
    });
  });

  it("leaves a URL without credentials as it is, with no header", () => {
    expect(splitCredentials(new URL("http://127.0.0.1:3001"))).toEqual({ url: "http://127.0.0.1:3001/", headers: {} });
  });
});
