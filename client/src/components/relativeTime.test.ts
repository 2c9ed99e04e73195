import { describe, expect, it } from 'vitest';
import { relativeTime } from './RelativeTime';

const now = Date.parse('2026-11-30T12:00:00Z');
const ago = (seconds: number) => new Date(now - seconds * 1000).toISOString();

describe('relative dates', () => {
  it('says how long ago, in the largest whole unit', () => {
    expect(relativeTime(ago(10), now, 'en')).toBe('just now');
    expect(relativeTime(ago(5 * 60), now, 'en')).toBe('5 minutes ago');
    expect(relativeTime(ago(3 * 3600), now, 'en')).toBe('3 hours ago');
    expect(relativeTime(ago(26 * 3600), now, 'en')).toBe('yesterday');
    expect(relativeTime(ago(3 * 86400), now, 'en')).toBe('3 days ago');
    expect(relativeTime(ago(400 * 86400), now, 'en')).toBe('last year');
  });

  it('says nothing for a date it cannot read', () => {
    expect(relativeTime('not a date', now, 'en')).toBe('');
  });
});
