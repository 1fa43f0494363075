// Wire schemas of the inbound API (spec §3): strict (unknown fields refused), snake_case, checked before any side effect.
// A namespace import: `import { z }` re-exports zod/mini as one object, which esbuild keeps whole (+420 KB per bundle).
import * as z from "zod/mini";
import { customAttributes, externalId } from "./identity-schemas.js";

/** Printable text (a name, a filename): no control characters. Ids follow the stricter external id rule. */
export const printable = (max: number) =>
  z.string().check(z.minLength(1), z.maxLength(max), z.regex(/^[^\p{Cc}]+$/u, "must be printable text"));

export { externalId } from "./identity-schemas.js";
export const userId = externalId;

/** spec §1: a thread_id is an external id like user_id (1–255 characters, identity-schemas.ts). */
export const threadId = externalId;

export const contactProfile = z.strictObject({
  name: z.optional(printable(255)),
  email: z.optional(
    z.string().check(z.maxLength(255), z.regex(/^[^@\s]+@[^@\s]+\.[^@\s]+$/, "must be an email address")),
  ),
  // Chatwoot accepts only E.164 (CONTRACT.md §2.2): refuse here rather than after a lease is taken.
  phone_number: z.optional(
    z.string().check(z.regex(/^\+[1-9]\d{1,14}$/, "must be in E.164 format, e.g. +4915112345678")),
  ),
  avatar_url: z.optional(z.string().check(z.maxLength(2048), z.regex(/^https:\/\/\S+$/, "must be an https URL"))),
  custom_attributes: z.optional(customAttributes),
});

export const contactsPostBody = z.strictObject({
  user_id: userId,
  ...contactProfile.shape,
});

export const conversationsPostBody = z.strictObject({
  user_id: userId,
  thread_id: z.optional(threadId),
  contact: z.optional(contactProfile),
});

/** A Chatwoot id: a positive integer. */
export const chatwootId = z.number().check(z.int(), z.positive("must be a positive integer"));

export type ContactProfileBody = z.infer<typeof contactProfile>;
