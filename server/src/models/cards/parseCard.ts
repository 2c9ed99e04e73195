import { parse } from 'yaml';

/** A model card split into its YAML metadata (the Hub's `cardData`) and its Markdown body. */
export interface ParsedCard {
  metadata: Record<string, unknown>;
  body: string;
  /** Set when the front matter is present but is not a YAML mapping; the card is then treated as body only. */
  metadataError?: string;
}

const FRONT_MATTER = /^---\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;

/** Splits README.md the way the Hub does: a leading `---` fenced YAML block, then Markdown. */
export function parseCard(text: string): ParsedCard {
  const source = text.replace(/^\uFEFF/, '');
  const match = FRONT_MATTER.exec(source);
  if (!match) return { metadata: {}, body: source };
  const body = source.slice(match[0].length);
  try {
    const value: unknown = parse(match[1] ?? '');
    if (value === null || value === undefined) return { metadata: {}, body };
    if (typeof value !== 'object' || Array.isArray(value)) {
      return {
        metadata: {},
        body,
        metadataError: 'The YAML front matter must be a mapping of keys to values.',
      };
    }
    return { metadata: value as Record<string, unknown>, body };
  } catch (err) {
    return {
      metadata: {},
      body,
      metadataError: `The YAML front matter does not parse: ${(err as Error).message}`,
    };
  }
}
