// slicedJson writes what JSON.stringify writes, and lets the event loop run between slices of a large array.
import { describe, expect, it } from "vitest";
import { SLICE_RECORDS, slicedJson } from "../../dev/sliced-json.js";

describe("slicedJson", () => {
  it("writes the same JSON as JSON.stringify, undefined fields left out", async () => {
    const records = Array.from({ length: SLICE_RECORDS * 2 + 7 }, (_, id) => ({ id, content: `m-${id} "quoted"` }));
    const value = { version: 3, missing: undefined, empty: [], small: [{ a: 1 }], messages: records, inbox: { id: 1 } };
    expect(await slicedJson(value)).toBe(JSON.stringify(value));
  });

  it("gives the event loop a turn after each slice of a large array", async () => {
    const records = Array.from({ length: SLICE_RECORDS * 3 }, (_, id) => ({ id }));
    let turns = 0;
    const tick = () => {
      turns += 1;
      if (!done) setImmediate(tick);
    };
    let done = false;
    setImmediate(tick);
    const text = await slicedJson({ records });
    done = true;
    expect(JSON.parse(text).records).toHaveLength(SLICE_RECORDS * 3);
    expect(turns).toBeGreaterThanOrEqual(2);
  });
});
