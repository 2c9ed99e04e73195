/** A failed API call, carrying the server's own `{error}` message so pages can show it as is. */
export class ApiError extends Error {
  constructor(
    message: string,
    /** HTTP status, or 0 when the server could not be reached. */
    readonly status: number,
    /** The server's stable error id, for example `name_taken`. */
    readonly id?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}
