// The sandbox's data file (SandboxOptions.dataFile): loaded whole at start, so contacts, conversations,
// messages, attachments, id sequences, tokens and the webhook secret survive a restart (Chatwoot never
// reuses an id), and rewritten atomically (temp file, fsync, rename) by a SaveSchedule.
import { mkdir, open, rename } from "node:fs/promises";
import { dirname } from "node:path";
import { BlobStore } from "./blobs.js";
import { FILE_VERSION, sandboxFileSchema, type SandboxFile } from "./persist-schema.js";
import { SaveSchedule } from "../save-schedule.js";
import { slicedJson } from "../sliced-json.js";
import { SandboxState, type StateOptions } from "./state.js";
import { readTextIfPresent } from "../../functions/adapters/text-file.js";

export interface SandboxData {
  state: SandboxState;
  blobs: BlobStore;
  /** Present with a data file: mark changes on it, await its saves. */
  schedule: SaveSchedule | undefined;
}

/** A fresh state, or the one saved in `dataFile`; settings (webhook URL, lock) always come from `options`. */
export function openSandboxData(dataFile: string | undefined, options: StateOptions): SandboxData {
  const saved = dataFile === undefined ? undefined : loadSandboxFile(dataFile);
  const state = new SandboxState(options);
  const blobs =
    saved === undefined ? new BlobStore() : new BlobStore(Date.now, Buffer.from(saved.signingKey, "base64"));
  if (saved !== undefined) restore(saved, state, blobs);
  const schedule =
    dataFile === undefined
      ? undefined
      : new SaveSchedule(async () => writeSandboxFile(dataFile, await slicedJson({ ...snapshot(state, blobs) })));
  return { state, blobs, schedule };
}

/** The saved file, or undefined when there is none yet. A file that does not parse is an error, never a reset. */
export function loadSandboxFile(path: string): SandboxFile | undefined {
  const text = readTextIfPresent(path);
  if (text === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`The sandbox data file ${path} is not valid JSON; move it away to start with an empty sandbox`);
  }
  const parsed = sandboxFileSchema.safeParse(json);
  if (!parsed.success) {
    const where = parsed.error.issues[0]?.path.join(".") ?? "";
    throw new Error(
      `The sandbox data file ${path} is not a valid version ${FILE_VERSION} sandbox file (at "${where}"); move it away to start with an empty sandbox`,
    );
  }
  return parsed.data;
}

/** Writes `text` (the state's records as of one moment, dev/sliced-json.ts) so a crash mid-write leaves the previous file. */
export async function writeSandboxFile(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  const handle = await open(temp, "w", 0o600);
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, path);
}

function snapshot(state: SandboxState, blobs: BlobStore): SandboxFile {
  const { inbox } = state;
  return {
    version: FILE_VERSION,
    signingKey: blobs.signingKey.toString("base64"),
    sequences: state.sequences(),
    users: state.users().map((user) => ({ id: user.id, accessToken: user.accessToken })),
    inbox: {
      secret: inbox.secret,
      hmacToken: inbox.hmacToken,
      identifier: inbox.identifier,
      createdAt: inbox.createdAt,
      updatedAt: inbox.updatedAt,
    },
    contacts: [...state.contacts.values()],
    contactInboxes: [...state.contactInboxes.values()],
    conversations: [...state.conversations.values()],
    messages: [...state.messages.values()],
    attachments: [...state.attachments.values()],
    blobs: blobs.entries().map(({ key, file }) => ({
      key,
      filename: file.filename,
      contentType: file.contentType,
      dataBase64: Buffer.from(file.data).toString("base64"),
    })),
  };
}

function restore(saved: SandboxFile, state: SandboxState, blobs: BlobStore): void {
  for (const user of saved.users) {
    const known = state.userById(user.id);
    if (known !== undefined) known.accessToken = user.accessToken;
  }
  Object.assign(state.inbox, saved.inbox);
  for (const record of saved.contacts) state.contacts.set(record.id, record);
  for (const record of saved.contactInboxes) state.contactInboxes.set(record.id, record);
  for (const record of saved.conversations) state.addConversation(record);
  // addMessage keeps each conversation's messages in insertion order: id order, as Chatwoot lists them.
  for (const record of [...saved.messages].sort((a, b) => a.id - b.id)) state.addMessage(record);
  for (const record of saved.attachments) state.attachments.set(record.id, record);
  for (const blob of saved.blobs) {
    blobs.restore(blob.key, {
      filename: blob.filename,
      contentType: blob.contentType,
      data: new Uint8Array(Buffer.from(blob.dataBase64, "base64")),
    });
  }
  state.continueSequences(saved.sequences);
}
