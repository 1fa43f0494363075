// The console (spec §6) in a real browser: Debian's headless Chromium driven by playwright-core. A user message
// posted over HTTP appears, the agent answers from the page, the signed delivery appears verified, the agent
// resolves. Each state is kept as a screenshot under test/artifacts/.
import { existsSync, mkdirSync } from "node:fs";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { settle, type Delivered } from "../support/replies.js";
import { startTestBridge, type TestBridge } from "../support/bridge.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const ARTIFACTS = new URL("../artifacts/", import.meta.url).pathname;
// CI (.ci/run) installs Chromium and sets this, so there a missing browser fails instead of skipping.
const required = process.env.CONSOLE_BROWSER_REQUIRED === "1";
const available = existsSync(CHROMIUM);

let t: TestBridge;
let browser: Browser;
let page: Page;

describe.skipIf(!available && !required)("the console in a browser", () => {
  beforeAll(async () => {
    t = await startTestBridge();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
    page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    mkdirSync(ARTIFACTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const shot = (name: string) => page.screenshot({ path: `${ARTIFACTS}console-${name}.png` });

  it("shows a user's message; the agent replies (text, file), is refused (410), notes, deletes, resolves and starts a conversation from the page; each delivery shows verified", async () => {
    await page.goto(`${t.bridge.url}/console`);
    await page.locator("#live", { hasText: "live" }).waitFor();

    const posted = await t.api("POST", "/messages", { user_id: "u-42", message_id: "m-1", content: "Hello from Ada" });
    expect(posted.status).toBe(201);
    const conversationId = (posted.body as { conversation_id: number }).conversation_id;
    await page.locator("#messages .message.incoming", { hasText: "Hello from Ada" }).waitFor();
    await expect(page.locator("#conversations li").first().textContent()).resolves.toBe(`#${conversationId} u-42 open`);
    await shot("1-incoming");

    await page.fill("#composer-text", "Hi Ada, how can I help?");
    await page.click("#send-reply");
    const delivery = page.locator("#deliveries .delivery.kept", { hasText: "Hi Ada, how can I help?" });
    await delivery.waitFor();
    expect(await delivery.locator(".badge").textContent()).toBe("signature verified");
    expect(await delivery.textContent()).toContain(`message.created · user u-42 · conversation ${conversationId}`);
    await page
      .locator("#messages .message.outgoing", { hasText: "Hi Ada, how can I help?" })
      .locator(".badge.delivered")
      .waitFor();
    await shot("2-reply-delivered");

    // The agent's typing in the composer is delivered too (typing.started / typing.stopped): only replies here.
    const kept = t.bridge.receiver
      ?.received()
      .filter((d) => (d.body as Delivered).type === "message.created")
      .map((d) => (d.body as Delivered).data.message?.content);
    expect(kept).toEqual(["Hi Ada, how can I help?"]);

    await page.setInputFiles("#composer-file", {
      name: "invoice.pdf",
      mimeType: "application/pdf",
      buffer: Buffer.from("%PDF-1.4\n"),
    });
    await page.click("#send-reply");
    await page.locator("#deliveries .delivery.kept", { hasText: "1 attachment(s)" }).waitFor();
    await page.locator("#messages .message.outgoing .attachment", { hasText: "file" }).waitFor();
    const files = t.bridge.receiver
      ?.received()
      .filter((d) => (d.body as Delivered).type === "message.created")
      .at(-1)?.body as Delivered;
    expect(files.data.message?.attachments).toEqual([
      expect.objectContaining({ file_type: "file", filename: "invoice.pdf", content_type: "application/pdf" }),
    ]);

    // A receiver that answers 410 Gone: the reply shows failed with the reason the agent reads (spec §5).
    t.bridge.receiver?.failUntilCleared(410);
    await page.fill("#composer-text", "This one is refused");
    await page.click("#send-reply");
    const refused = page.locator("#messages .message.outgoing", { hasText: "This one is refused" });
    await refused.locator(".badge.failed").waitFor();
    expect(await refused.locator(".error").textContent()).toMatch(/^failed: .*410/);
    // The agent's typing around the reply was refused too: the reply's own line.
    await page
      .locator("#deliveries .delivery.failed", { hasText: "answered 410 (told to fail)" })
      .filter({ hasText: "message.created" })
      .waitFor();
    t.bridge.receiver?.clearFailures();

    // A private note shows as one and is never delivered; deleting a reply is delivered as message.deleted.
    await page.fill("#composer-text", "Internal: customer is a VIP");
    await page.click("#send-note");
    await page.locator("#messages .message.private", { hasText: "Internal: customer is a VIP" }).waitFor();
    await page
      .locator("#messages .message.outgoing", { hasText: "Hi Ada, how can I help?" })
      .locator("button.delete")
      .click();
    await page.locator("#deliveries .delivery.kept", { hasText: "message.deleted" }).waitFor();
    await page.locator("#messages .message.deleted").first().waitFor();

    await page.click("#toggle-status");
    await page.locator("#conversations li .badge.resolved").waitFor();
    await page.locator("#deliveries .delivery.kept", { hasText: "conversation.status_changed" }).waitFor();
    expect(await page.textContent("#toggle-status")).toBe("Reopen");
    await shot("3-resolved");
    // Typing in the composer is delivered too, whenever the agent types: the rest, in order.
    const types = t.bridge.receiver
      ?.received()
      .map((d) => (d.body as Delivered).type)
      .filter((type) => !type.startsWith("typing."));
    expect(types).toEqual(["message.created", "message.created", "message.deleted", "conversation.status_changed"]);

    // The dashboard's "New conversation" (CONTRACT-addendum.md §A.1) for the same contact, as the agent.
    await page.fill("#new-text", "Following up on your order");
    await page.click("#start-conversation");
    const started = await t.bridge.sandbox?.waitForMessage((m) => m.content === "Following up on your order");
    const displayId = started?.conversationId;
    expect(displayId).not.toBe(conversationId);
    await page.locator("#conversation-title", { hasText: `Conversation #${displayId} (open)` }).waitFor();
    await page.locator("#messages .message.outgoing", { hasText: "Following up on your order" }).waitFor();
    await shot("4-agent-started");
    await settle(t);
    expect(t.bridge.sandbox?.conversations().map((c) => c.status)).toEqual(["resolved", "open"]);
  }, 60_000);
});
