import type { ErrorBody } from '@atrium/protocol';
import { ApiError } from './ApiError';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The CSRF cookie the server sets at sign-in; echoed in a header on every change (double-submit). */
export function csrfToken(): string | undefined {
  const match = document.cookie.split('; ').find((c) => c.startsWith('atrium_csrf='));
  return match ? decodeURIComponent(match.slice('atrium_csrf='.length)) : undefined;
}

async function errorFrom(res: Response): Promise<ApiError> {
  const fallback = `${res.status} ${res.statusText || 'Request failed'}`;
  try {
    const body = (await res.json()) as Partial<ErrorBody>;
    return new ApiError(typeof body.error === 'string' ? body.error : fallback, res.status, body.id);
  } catch {
    return new ApiError(fallback, res.status);
  }
}

/** One fetch wrapper for the whole app: JSON in and out, CSRF header on changes, ApiError on failure. */
export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const csrf = UNSAFE.has(method) ? csrfToken() : undefined;
  if (csrf) headers['x-csrf-token'] = csrf;
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError('Cannot reach the Atrium server. Check your connection and try again.', 0);
  }
  if (!res.ok) throw await errorFrom(res);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}
