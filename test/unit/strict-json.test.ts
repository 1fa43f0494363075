// The strict JSON reader: what JSON.parse accepts silently (duplicate keys, rewritten numbers, invalid UTF-8
// decoded lossily) is refused with a message naming the problem; everything else reads exactly as JSON.parse.
import { describe, expect, it } from "vitest";
import { BridgeError } from "../../functions/core/errors.js";
import { MAX_JSON_DEPTH, readStrictJson } from "../../functions/edge/strict-json.js";

const read = (text: string | Uint8Array) => readStrictJson(typeof text === "string" ? Buffer.from(text) : text);

function refusal(text: string | Uint8Array): { code: string; message: string } {
  try {
    read(text);
  } catch (error) {
    if (error instanceof BridgeError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error("was accepted");
}

describe("readStrictJson", () => {
  it.each([
    '{"user_id":"u-1","n":[1,-2.5,3e2,0,-0.125,1E-3],"t":true,"f":false,"z":null,"o":{}}',
    '  [ {"a" : "b\\"c\\\\d\\u00e9\\n"} , [] , "" ]  ',
    '"caf\\u00e9 ☕ 😀"',
    '{"ends in a backslash\\\\":"quote \\" and backslash \\\\"}',
    `{"max":${Number.MAX_SAFE_INTEGER},"min":${Number.MIN_SAFE_INTEGER}}`,
  ])("reads %s exactly as JSON.parse does", (text) => {
    expect(read(text)).toEqual(JSON.parse(text));
  });

  it("keeps a __proto__ key as an own property instead of turning it into the prototype", () => {
    const value = read('{"__proto__":{"admin":true},"a":1}');
    expect(Object.keys(value as object)).toEqual(["__proto__", "a"]);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(JSON.stringify(value)).toBe('{"__proto__":{"admin":true},"a":1}');
  });

  it("refuses a duplicate key, naming it, also when one spelling is escaped", () => {
    expect(refusal('{"user_id":"a","user_id":"b"}')).toEqual({
      code: "invalid_json",
      message: 'Body has the key "user_id" twice in one object',
    });
    expect(refusal('{"contact":{"name":"a","n\\u0061me":"b"}}').message).toBe(
      'Body has the key "name" twice in one object',
    );
  });

  it("allows the same key in different objects", () => {
    expect(read('{"a":{"k":1},"b":{"k":2}}')).toEqual({ a: { k: 1 }, b: { k: 2 } });
  });

  it.each(["1e400", "-1e400", "9007199254740993", "1e16", "1e-400"])(
    "refuses %s, which JSON.parse would rewrite, naming the safe range",
    (number) => {
      expect(refusal(`{"n":${number}}`)).toEqual({
        code: "invalid_json",
        message: `Body has the number ${number} outside the safe range (±9007199254740991)`,
      });
    },
  );

  it("refuses invalid UTF-8 instead of decoding it into U+FFFD", () => {
    const latin1Cafe = Buffer.concat([Buffer.from('{"user_id":"caf'), Buffer.from([0xe9]), Buffer.from('"}')]);
    expect(refusal(latin1Cafe)).toEqual({
      code: "invalid_json",
      message: "Body is not valid UTF-8; JSON bodies must be encoded as UTF-8",
    });
    // An encoded surrogate (CESU-8) is not UTF-8 either.
    expect(refusal(Buffer.from([0x22, 0xed, 0xa0, 0x80, 0x22])).code).toBe("invalid_json");
  });

  it(`refuses nesting deeper than ${MAX_JSON_DEPTH} levels before recursing further`, () => {
    const deep = (levels: number) => `${'{"a":'.repeat(levels)}1${"}".repeat(levels)}`;
    expect(read(deep(MAX_JSON_DEPTH))).toBeTruthy();
    expect(refusal(deep(MAX_JSON_DEPTH + 1))).toEqual({
      code: "invalid_json",
      message: `Body is nested deeper than ${MAX_JSON_DEPTH} levels (objects and arrays), the limit`,
    });
    expect(refusal("[".repeat(100_000)).code).toBe("invalid_json");
  });

  it.each([
    ["{not json", "expected a string key at offset 1"],
    ['{"a":1,}', "expected a string key at offset 7"],
    ["[1,]", "unexpected character at offset 3"],
    ['{"a":1} x', "unexpected text after the JSON value at offset 8"],
    ['"tab\there"', "bad escape or control character in a string at offset 0"],
    ['"bad \\x escape"', "bad escape or control character in a string at offset 0"],
    ['"open', "unterminated string at offset 5"],
    ["01", "malformed number at offset 0"],
    ['{"n":1.}', "malformed number at offset 5"],
    ["[-]", "malformed number at offset 1"],
    ["NaN", "unexpected character at offset 0"],
    ["", "unexpected end at offset 0"],
  ])("refuses %j: %s", (text, where) => {
    expect(refusal(text)).toEqual({ code: "invalid_json", message: `Body is not valid JSON: ${where}` });
  });
});
