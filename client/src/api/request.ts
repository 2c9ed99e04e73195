import type { ErrorBody } from '@atrium/protocol';
import { ApiError } from './ApiError';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The CSRF cookie the server sets at sign-in; echoed in a header on every change (double-submit). */
export function csrfToken(): string | undefined {
  const match = document.cookie.split('; ').find((c) => c.startsWith('atrium_csrf='));
  return match ? decodeURIComponent(match.slice('atrium_csrf='.length)) : undefined;
}

/** The one mapping from a failed response to an error: the server's `{error}` message and id. */
async function errorFrom(res: Response): Promise<ApiError> {
  const fallback = `${res.status} ${res.statusText || 'Request failed'}`;
  try {
    const body = (await res.json()) as Partial<ErrorBody>;
    return new ApiError(typeof body.error === 'string' ? body.error : fallback, res.status, body.id);
  } catch {
    return new ApiError(fallback, res.status);
  }
}

/** What any failure (an ApiError, another Error, anything thrown) says to the person: one line. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * The one fetch of the app, for bodies other than JSON (NDJSON commits, LFS, file bytes): same-origin
 * credentials, the CSRF header on changes, ApiError on failure. Returns the successful response.
 */
export async function send(
  method: string,
  path: string,
  init: { body?: BodyInit; headers?: Record<string, string> } = {},
): Promise<Response> {
  const headers: Record<string, string> = { ...init.headers };
  const csrf = UNSAFE.has(method) ? csrfToken() : undefined;
  if (csrf) headers['x-csrf-token'] = csrf;
  let res: Response;
  try {
    res = await fetch(path, { method, headers, credentials: 'same-origin', body: init.body });
  } catch {
    throw new ApiError('Cannot reach the Atrium server. Check your connection and try again.', 0);
  }
  if (!res.ok) throw await errorFrom(res);
  return res;
}

/** JSON in and out over `send`. */
export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await send(method, path, {
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}
