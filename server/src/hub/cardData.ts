import { parse } from 'yaml';

/** The YAML front matter of a README.md (the repository card), or undefined when there is none. */
export function parseCardData(readme: string): Record<string, unknown> | undefined {
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/.exec(readme);
  if (!match?.[1]) return undefined;
  try {
    const data = parse(match[1], { maxAliasCount: 50 }) as unknown;
    return data && typeof data === 'object' && !Array.isArray(data)
      ? (data as Record<string, unknown>)
      : undefined;
  } catch {
    // A broken card must not break the repository page; it just has no metadata.
    return undefined;
  }
}
