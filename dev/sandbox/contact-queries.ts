// Finding contacts: the "resolved" base set, contacts/search (substring; identifier case-sensitive)
// and contacts/filter (equal_to is exact and case-insensitive; phone normalised) — CONTRACT.md §2.2.
import { unprocessable } from "./errors.js";
import { isParamObject, list, text, type Param } from "./params.js";
import type { SandboxState } from "./state.js";
import type { Contact } from "./types.js";

export const CONTACTS_PER_PAGE = 15;

/** Only contacts with an email, phone or identifier are listed, searched or filtered. */
export function resolvedContacts(state: SandboxState): Contact[] {
  return [...state.contacts.values()].filter(
    (c) => Boolean(c.email) || Boolean(c.phoneNumber) || Boolean(c.identifier),
  );
}

/** Newest activity first, never-active contacts last. */
export function byLastActivity(a: Contact, b: Contact): number {
  return (b.lastActivityAt ?? -1) - (a.lastActivityAt ?? -1) || b.id - a.id;
}

/** name/email/phone ILIKE '%q%', identifier LIKE '%q%' (case-sensitive): `ext-1` also finds `ext-10`. */
export function searchContacts(state: SandboxState, query: string): Contact[] {
  const needle = query.trim().toLowerCase();
  const raw = query.trim();
  return resolvedContacts(state)
    .filter(
      (c) =>
        [c.name, c.email, c.phoneNumber].some((field) => (field ?? "").toLowerCase().includes(needle)) ||
        (c.identifier ?? "").includes(raw),
    )
    .sort(byLastActivity);
}

type Operator = "equal_to" | "not_equal_to" | "contains" | "does_not_contain" | "starts_with";
const TEXT_OPERATORS: Operator[] = ["equal_to", "not_equal_to", "contains", "does_not_contain"];
const OPERATORS: Record<string, Operator[]> = {
  name: TEXT_OPERATORS,
  email: TEXT_OPERATORS,
  identifier: TEXT_OPERATORS,
  phone_number: [...TEXT_OPERATORS, "starts_with"],
  blocked: ["equal_to", "not_equal_to"],
};

interface Condition {
  test: (contact: Contact) => boolean;
  joinWithNext: "AND" | "OR" | null;
}

function column(contact: Contact, key: string): string | null {
  if (key === "name") return contact.name;
  if (key === "email") return contact.email;
  if (key === "identifier") return contact.identifier;
  if (key === "blocked") return String(contact.blocked);
  return contact.phoneNumber;
}

function parseCondition(raw: Param): Condition {
  if (!isParamObject(raw)) throw unprocessable("Invalid filter payload");
  const key = text(raw.attribute_key) ?? "";
  const operator = text(raw.filter_operator) ?? "";
  const allowed = OPERATORS[key];
  if (allowed === undefined) throw unprocessable(`Invalid attribute key - ${key}`);
  if (!allowed.some((candidate) => candidate === operator)) {
    throw unprocessable(`Invalid operator. The allowed operators for ${key} are [${allowed.join(",")}].`);
  }
  const normalise = (value: string) => (key === "phone_number" ? `+${value.replace(/\D/g, "")}` : value.toLowerCase());
  const values = list(raw.values)
    .map((value) => text(value))
    .filter((value) => value !== undefined)
    .map(normalise);
  if (values.length === 0) throw unprocessable(`Invalid value. The values provided for ${key} are invalid`);
  const joinRaw = raw.query_operator;
  const join = joinRaw === undefined || joinRaw === null ? null : (text(joinRaw) ?? "").toUpperCase();
  if (join !== null && join !== "AND" && join !== "OR")
    throw unprocessable(`Invalid query operator - ${text(joinRaw) ?? ""}`);
  const test = (contact: Contact): boolean => {
    const stored = column(contact, key);
    if (stored === null) return false;
    const value = key === "phone_number" ? stored : stored.toLowerCase();
    if (operator === "equal_to") return values.includes(value);
    if (operator === "not_equal_to") return !values.includes(value);
    if (operator === "starts_with") return values.some((v) => value.startsWith(v));
    const contained = values.some((v) => value.includes(v));
    return operator === "contains" ? contained : !contained;
  };
  return { test, joinWithNext: join };
}

/** Conditions join left to right, AND binding tighter than OR, as in the SQL Chatwoot builds. */
export function filterContacts(state: SandboxState, payload: Param | undefined): Contact[] {
  const conditions = list(payload).map(parseCondition);
  if (conditions.length === 0) throw unprocessable("Invalid filter payload");
  const groups: Condition[][] = [[]];
  for (const condition of conditions) {
    groups.at(-1)?.push(condition);
    if (condition.joinWithNext === "OR") groups.push([]);
  }
  return resolvedContacts(state)
    .filter((contact) =>
      groups.some((group) => group.length > 0 && group.every((condition) => condition.test(contact))),
    )
    .sort((a, b) => a.id - b.id);
}

export function page<T>(items: T[], pageNumber: number, perPage: number): T[] {
  const start = (Math.max(pageNumber, 1) - 1) * perPage;
  return items.slice(start, start + perPage);
}
