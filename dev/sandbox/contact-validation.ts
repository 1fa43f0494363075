// Contact validations from app/models/contact.rb (CONTRACT.md §2.2): email format and case-insensitive
// uniqueness, identifier case-sensitive uniqueness, phone E.164 and uniqueness, all per account.
import { RecordInvalidError } from "./errors.js";
import type { Contact } from "./types.js";

// Devise.email_regexp.
const EMAIL = /^[^@\s]+@[^@\s]+$/;
const E164 = /^\+[1-9]\d{1,14}$/;

export interface ContactFields {
  name: string;
  email: string | null;
  phoneNumber: string | null;
  identifier: string | null;
}

/** `before_validation`: email is stored lowercased and a blank email becomes null. */
export function normaliseEmail(email: string | null): string | null {
  if (email === null) return null;
  const trimmed = email.trim().toLowerCase();
  return trimmed === "" ? null : trimmed;
}

/**
 * Throws RecordInvalidError with Rails' full messages, in the model's validation order
 * (email, identifier, phone_number), so several failures join as "A, B".
 */
export function validateContact(fields: ContactFields, others: Iterable<Contact>): void {
  const messages: string[] = [];
  const attributes: string[] = [];
  const fail = (attribute: string, message: string) => {
    messages.push(message);
    if (!attributes.includes(attribute)) attributes.push(attribute);
  };
  const existing = [...others];
  if (present(fields.email)) {
    if (existing.some((c) => c.email !== null && c.email.toLowerCase() === fields.email?.toLowerCase())) {
      fail("email", "Email has already been taken");
    }
    if (!EMAIL.test(fields.email)) fail("email", "Email Invalid email");
  }
  if (present(fields.identifier) && existing.some((c) => c.identifier === fields.identifier)) {
    fail("identifier", "Identifier has already been taken");
  }
  if (present(fields.phoneNumber)) {
    if (existing.some((c) => c.phoneNumber === fields.phoneNumber))
      fail("phone_number", "Phone number has already been taken");
    if (!E164.test(fields.phoneNumber)) fail("phone_number", "Phone number should be in e164 format");
  }
  if (messages.length > 0) throw new RecordInvalidError(messages, attributes);
}

function present(value: string | null): value is string {
  return value !== null && value.trim() !== "";
}
