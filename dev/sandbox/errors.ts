// The failures Chatwoot's controllers raise, with the bodies `request_exception_handler.rb` renders
// for them (CONTRACT.md §2.0). Routes throw these; the server turns them into responses.

/** A response decided by the failure itself: status plus JSON or plain-text body. */
export class ApiError extends Error {
  override readonly name = "ApiError";
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly contentType: "json" | "text" = "json",
  ) {
    super(`Chatwoot sandbox ${status}`);
  }
}

/** `ActiveRecord::RecordNotFound` → 404. */
export function notFound(): ApiError {
  return new ApiError(404, { error: "Resource could not be found" });
}

/** Any unrescued exception (RecordNotUnique, invalid enum value) → Rails' production 500. */
export function internalError(): ApiError {
  return new ApiError(500, { status: 500, error: "Internal Server Error" });
}

/** A local `rescue => e; render json: { error: e.message }, status: :unprocessable_entity`. */
export function unprocessable(message: string): ApiError {
  return new ApiError(422, { error: message });
}

export function unauthorized(body: unknown): ApiError {
  return new ApiError(401, body);
}

/**
 * `ActiveRecord::RecordInvalid`. Outside a local rescue it renders `{message, attributes}`; inside
 * messages#create its `message` ("Validation failed: …") becomes `{error}` (CONTRACT.md §2.5).
 */
export class RecordInvalidError extends Error {
  override readonly name = "RecordInvalidError";
  constructor(
    readonly fullMessages: string[],
    readonly attributes: string[],
  ) {
    super(`Validation failed: ${fullMessages.join(", ")}`);
  }

  toApiError(): ApiError {
    return new ApiError(422, { message: this.fullMessages.join(", "), attributes: this.attributes });
  }
}

/** An `ArgumentError` such as "'x' is not a valid message_type": 500 unless a local rescue catches it. */
export class InvalidEnumError extends Error {
  override readonly name = "InvalidEnumError";
}

/** Maps a thrown value to the response Chatwoot's generic handler would give. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof RecordInvalidError) return error.toApiError();
  return internalError();
}
