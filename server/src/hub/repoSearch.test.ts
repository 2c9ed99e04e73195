import { describe, expect, it } from 'vitest';
import type { RepoRecord } from './RepoStore.js';
import { CardDataCache, repoMatches } from './repoSearch.js';

const repo = { ownerName: 'atrium', name: 'sentiment-analysis', sdk: 'atrium' } as RepoRecord;
const card = {
  title: 'Sentiment Analysis',
  short_description: 'Label English text POSITIVE or NEGATIVE',
  tags: ['text-classification', 'template'],
  models: ['atrium/tiny-sentiment-bert'],
};

describe('matching repositories to a search and filters', () => {
  it('finds a repository by words of its id, title, description, models or tags, in any case', () => {
    for (const search of [
      'sentiment',
      'Sentiment Analysis',
      'english positive',
      'tiny-sentiment',
      'TEMPLATE',
    ])
      expect(repoMatches(repo, card, { search, filters: [] }), search).toBe(true);
    expect(repoMatches(repo, card, { search: 'sentiment french', filters: [] })).toBe(false);
  });

  it('treats hyphens and spaces alike, so a title typed with spaces finds a hyphenated id', () => {
    expect(repoMatches(repo, undefined, { search: 'sentiment analysis', filters: [] })).toBe(true);
  });

  it('keeps only repositories carrying every filter tag or task', () => {
    expect(repoMatches(repo, card, { filters: ['text-classification'] })).toBe(true);
    expect(repoMatches(repo, card, { filters: ['text-classification', 'atrium'] })).toBe(true);
    expect(repoMatches(repo, card, { filters: ['translation'] })).toBe(false);
    expect(repoMatches(repo, { pipeline_tag: 'translation' }, { filters: ['translation'] })).toBe(true);
  });
});

describe('repositories using a model', () => {
  it('keeps those whose card declares every model asked for, in any case', () => {
    expect(repoMatches(repo, card, { filters: [], models: ['atrium/tiny-sentiment-bert'] })).toBe(true);
    expect(repoMatches(repo, card, { filters: [], models: ['Atrium/Tiny-Sentiment-Bert'] })).toBe(true);
    expect(repoMatches(repo, card, { filters: [], models: ['atrium/tiny-qa-bert'] })).toBe(false);
    expect(repoMatches(repo, undefined, { filters: [], models: ['atrium/tiny-qa-bert'] })).toBe(false);
  });
});

describe('the card data cache', () => {
  it('reads each commit once and forgets the least recently used past its capacity', async () => {
    const cache = new CardDataCache(2);
    const reads: string[] = [];
    const read = async (c: string) => {
      reads.push(c);
      return { title: c };
    };
    await cache.get('a', read);
    await cache.get('a', read);
    await cache.get('b', read);
    await cache.get('a', read); // a is now more recent than b
    await cache.get('c', read); // b goes
    await cache.get('a', read);
    await cache.get('b', read);
    expect(reads).toEqual(['a', 'b', 'c', 'b']);
  });

  it('shares a read in flight and forgets a failed one', async () => {
    const cache = new CardDataCache(4);
    let reads = 0;
    let fail = true;
    const read = async (c: string) => {
      reads++;
      await new Promise((r) => setTimeout(r, 5));
      if (fail) throw new Error('unreachable blob');
      return { title: c };
    };
    const both = await Promise.allSettled([cache.get('a', read), cache.get('a', read)]);
    expect(both.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(reads).toBe(1);
    fail = false;
    expect(await cache.get('a', read)).toEqual({ title: 'a' });
    expect(reads).toBe(2);
  });
});
