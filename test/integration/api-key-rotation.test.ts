// Several API keys (spec §2): during a rotation both keys are accepted; once the old key is removed from
// BRIDGE_API_KEY (a restart, as a deploy is), it is refused and changes nothing.
import { afterAll, describe, expect, it } from "vitest";
import { sandboxOf, startTestBridge, type TestBridge } from "../support/bridge.js";

const OLD_KEY = "old-key-rotation-0123456789";
const NEW_KEY = "new-key-rotation-9876543210";

const bridges: TestBridge[] = [];
afterAll(async () => {
  for (const t of bridges) await t.close();
});

async function start(keys: string, dataDir?: string): Promise<TestBridge> {
  const t = await startTestBridge({ BRIDGE_API_KEY: keys, ...(dataDir ? { DATA_DIR: dataDir } : {}) });
  bridges.push(t);
  return t;
}

const as = (key: string) => ({ authorization: `Bearer ${key}` });

describe("BRIDGE_API_KEY with several keys", () => {
  it("accepts each listed key, and after a restart without the old key refuses it with nothing changed", async () => {
    const rotating = await start(`${OLD_KEY}, ${NEW_KEY}`);
    const byOld = await rotating.api("POST", "/contacts", { user_id: "rot-old" }, as(OLD_KEY));
    const byNew = await rotating.api("POST", "/contacts", { user_id: "rot-new" }, as(NEW_KEY));
    expect([byOld.status, byNew.status]).toEqual([201, 201]);
    const wrong = await rotating.api("POST", "/contacts", { user_id: "rot-x" }, as(`${OLD_KEY},${NEW_KEY}`));
    expect(wrong.status).toBe(401);
    await rotating.close();
    bridges.pop();

    const rotated = await start(NEW_KEY, rotating.dataDir);
    sandboxOf(rotated).resetCalls();
    const refused = await rotated.api("POST", "/contacts", { user_id: "rot-late", name: "Late" }, as(OLD_KEY));
    expect([refused.status, refused.body]).toEqual([
      401,
      { error: { code: "unauthorized", message: "Missing or wrong bearer key" } },
    ]);
    const readOld = await rotated.api("GET", "/contacts/rot-old", undefined, as(OLD_KEY));
    expect(readOld.status).toBe(401);
    expect(sandboxOf(rotated).calls()).toEqual({});
    expect((await rotated.api("GET", "/contacts/rot-late", undefined, as(NEW_KEY))).status).toBe(404);
    expect((await rotated.api("GET", "/contacts/rot-old", undefined, as(NEW_KEY))).status).toBe(200);
  });
});
