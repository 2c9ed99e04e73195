import type { RepoRecord } from './RepoStore.js';

/** What a listing may be narrowed by beyond the store's own columns: words and task/tag filters. */
export interface RepoMatch {
  /** Words typed by a person; every one must appear in the id, title, description or tags. */
  search?: string;
  /** Tags (the Hub's `filter`) and a `pipeline_tag`; every one must be carried by the repository. */
  filters: string[];
  /** Model ids the repository's card must declare (`models:`), as the Hub's `models=` does. */
  models?: string[];
}

const text = (v: unknown) => (typeof v === 'string' ? v : '');
const strings = (v: unknown) => (Array.isArray(v) ? v.filter((t): t is string => typeof t === 'string') : []);

/** The tags a repository carries for filtering: its card's tags, its task and its sdk. */
export function repoTags(repo: RepoRecord, card: Record<string, unknown> | undefined): string[] {
  const tags = [...strings(card?.tags), text(card?.pipeline_tag), repo.sdk ?? ''];
  return tags.filter(Boolean).map((t) => t.toLowerCase());
}

/** Whether the repository, with the card data of its head, answers the search and every filter. */
export function repoMatches(
  repo: RepoRecord,
  card: Record<string, unknown> | undefined,
  match: RepoMatch,
): boolean {
  const tags = repoTags(repo, card);
  if (!match.filters.every((f) => tags.includes(f.toLowerCase()))) return false;
  const declared = strings(card?.models).map((m) => m.toLowerCase());
  if (!(match.models ?? []).every((m) => declared.includes(m.toLowerCase()))) return false;
  const words = (match.search ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  // Hyphens and spaces count alike: "sentiment analysis" finds atrium/sentiment-analysis.
  const haystack = [
    `${repo.ownerName}/${repo.name}`,
    text(card?.title),
    text(card?.short_description),
    ...strings(card?.models),
    ...tags,
  ]
    .join('\n')
    .toLowerCase()
    .replace(/[-_]/g, ' ');
  return words.every((w) => haystack.includes(w.replace(/[-_]/g, ' ')));
}

/**
 * Card data is fixed per commit: kept by commit id so a search reads each README once. Least recently
 * used out, and larger than a search's scan, so one search never evicts the cards it is about to
 * read again on its next page; a read in flight is shared by every caller that asks for it.
 */
export class CardDataCache {
  private readonly byCommit = new Map<string, Promise<Record<string, unknown> | undefined>>();

  constructor(private readonly capacity = 25_000) {}

  get(
    commit: string,
    read: (commit: string) => Promise<Record<string, unknown> | undefined>,
  ): Promise<Record<string, unknown> | undefined> {
    const kept = this.byCommit.get(commit);
    if (kept) {
      // Most recently used last: a Map iterates in insertion order.
      this.byCommit.delete(commit);
      this.byCommit.set(commit, kept);
      return kept;
    }
    const card = read(commit);
    // A failed read is not kept: the next search tries again.
    card.catch(() => this.byCommit.get(commit) === card && this.byCommit.delete(commit));
    if (this.byCommit.size >= this.capacity) this.byCommit.delete(this.byCommit.keys().next().value ?? '');
    this.byCommit.set(commit, card);
    return card;
  }
}
