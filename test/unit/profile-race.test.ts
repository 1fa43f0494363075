// The profile race (issue 12): a profile given with POST /contacts or a message's `contact` reaches Chatwoot even
// when another request, holding the user's creation lease, makes the contact without it.
import { beforeEach, describe, expect, it } from "vitest";
import { ensureContact, readMapping } from "../../functions/core/contacts.js";
import { postMessage } from "../../functions/core/messages.js";
import { contactOnly, type InboundFakes, inboundFakes } from "../support/inbound-fakes.js";

let fakes: InboundFakes;
beforeEach(() => {
  fakes = inboundFakes();
});

/** Another process holds the user's lease; at our first pause it finishes a contact without any profile. */
async function racedByProfileLessCreator(userId: string): Promise<void> {
  await fakes.store.acquireUserLease(userId, "other", Number.MAX_SAFE_INTEGER, 0);
  let finished = false;
  fakes.deps.sleep = async () => {
    if (finished) return;
    finished = true;
    const { contactId } = fakes.chatwoot.seedContact(userId);
    await fakes.store.saveMapping(contactOnly(userId, contactId), "other");
  };
}

describe("a profile racing a contact made without it", () => {
  it("POST /contacts applies its profile to the contact the other request made", async () => {
    await racedByProfileLessCreator("u-1");
    const ensured = await ensureContact(fakes.deps, "u-1", { name: "Ada", email: "ada@example.com" });
    expect(ensured).toEqual({ mapping: contactOnly("u-1", 1), created: false });
    expect(fakes.chatwoot.calls).toEqual(["updateContact"]);
    expect(fakes.chatwoot.contacts.get(1)?.profile).toEqual({ name: "Ada", email: "ada@example.com" });
  });

  it("a first message's `contact` is applied once when another request made the contact", async () => {
    await racedByProfileLessCreator("u-2");
    const posted = await postMessage(fakes.deps, {
      userId: "u-2",
      messageId: "m-1",
      content: "hi",
      contact: { name: "Grace" },
    });
    expect(posted).toMatchObject({ contactId: 1, duplicate: false });
    expect(fakes.chatwoot.calls).toEqual(["createConversation", "updateContact"]);
    expect(fakes.chatwoot.contacts.get(1)?.profile).toEqual({ name: "Grace" });
  });

  it("creating the contact itself sends the profile with the create only, with no second call", async () => {
    await ensureContact(fakes.deps, "u-3", { name: "Ada" });
    await postMessage(fakes.deps, { userId: "u-4", messageId: "m-1", content: "hi", contact: { name: "Bo" } });
    expect(fakes.chatwoot.calls).toEqual(["createContact", "createContact", "createConversation"]);
    expect((await readMapping(fakes.deps, "u-3"))?.contactId).toBe(1);
  });
});
