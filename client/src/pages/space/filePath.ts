/** A path a person may give a file: relative, no `..`, no empty parts. */
export function pathProblem(path: string, taken: boolean): string | null {
  if (!path) return 'Give the file a name.';
  if (path.startsWith('/') || path.split('/').some((p) => p === '' || p === '.' || p === '..'))
    return 'Use a relative path without empty, “.” or “..” parts.';
  if (path.length > 200) return 'Keep the path under 200 characters.';
  if (taken) return `${path} already exists.`;
  return null;
}
