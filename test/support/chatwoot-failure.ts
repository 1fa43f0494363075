// The ChatwootError a promise rejects with; anything else (a success, another error) fails the test.
import { ChatwootError } from "../../functions/core/errors.js";

export async function failureOf(promise: Promise<unknown>): Promise<ChatwootError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof ChatwootError)) throw new Error(`expected a ChatwootError, got ${String(error)}`);
  return error;
}
