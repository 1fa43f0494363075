// The rule for the external system's ids (user_id, thread_id, message_id), as plain predicates: edge/ validates request
// bodies with it, and the webhook side checks a Chatwoot contact's identifier with it before taking it as a user_id.
// Ids are compared byte for byte, like Chatwoot's case-sensitive `identifier` (CONTRACT.md §2.2): no trimming,
// case folding or Unicode normalisation. So ids that could not be told apart, or would not survive encoding, are refused.

export const MAX_ID_CHARS = 255;

/** Right-to-left marks and embedding/override/isolate controls: they reorder how an id is shown. */
export const BIDI_CONTROL = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;
/** A lone surrogate has no UTF-8 form: JSON.stringify escapes it, a database or log replaces it with U+FFFD. */
export const LONE_SURROGATE = /\p{Cs}/u;
/** No control (Cc) character anywhere. */
export const NO_CONTROL = /^[^\p{Cc}]*$/u;
/** Something that shows: not only spaces, zero-width or other invisible format characters. */
export const VISIBLE = /[^\p{White_Space}\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}]/u;

/** Whether `id` is a valid external id: 1–255 characters, well-formed, no control or bidi characters, visible. */
export function isExternalId(id: string): boolean {
  return (
    id.length >= 1 &&
    id.length <= MAX_ID_CHARS &&
    !LONE_SURROGATE.test(id) &&
    NO_CONTROL.test(id) &&
    !BIDI_CONTROL.test(id) &&
    VISIBLE.test(id)
  );
}
