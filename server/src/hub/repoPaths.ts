import { badRequest } from '../errors.js';

const MAX_PATH = 1000;

/** Why a file path inside a repository is refused, or null when it is acceptable. */
export function pathProblem(p: string): string | null {
  if (p.length === 0) return 'is empty';
  if (p.length > MAX_PATH) return `is longer than ${MAX_PATH} characters`;
  if (p.startsWith('/') || /^[A-Za-z]:/.test(p)) return 'must be relative';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  if (/[\u0000-\u001f\u007f\\]/.test(p)) return 'may not contain control characters or backslashes';
  for (const segment of p.split('/')) {
    if (segment === '' || segment === '.' || segment === '..')
      return "may not contain empty, '.' or '..' segments";
    if (segment === '.git') return "may not contain a '.git' segment";
  }
  return null;
}

/** A valid repository file path, or a 400. */
export function checkPath(p: unknown, what = 'path'): string {
  if (typeof p !== 'string') throw badRequest(`Invalid ${what}: expected a string`, 'invalid_path');
  const problem = pathProblem(p);
  if (problem) throw badRequest(`Invalid ${what} "${p.slice(0, 200)}": it ${problem}`, 'invalid_path');
  return p;
}
