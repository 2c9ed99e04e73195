import { describe, expect, it } from 'vitest';
import { lfsPatterns, matchesLfsPattern } from './lfsPatterns.js';

const matches = (pattern: string, path: string) =>
  lfsPatterns(`${pattern} filter=lfs diff=lfs merge=lfs -text`).some((p) => matchesLfsPattern(p, path));

describe('LFS patterns of .gitattributes', () => {
  it('matches the Hub’s default patterns by file name, in any folder', () => {
    expect(matches('*.bin', 'pytorch_model.bin')).toBe(true);
    expect(matches('*.bin', 'sub/dir/model.bin')).toBe(true);
    expect(matches('*.bin', 'model.bin.txt')).toBe(false);
    expect(matches('*.tar.gz', 'data/x.tar.gz')).toBe(true);
    expect(matches('*tfevents*', 'runs/events.out.tfevents.123')).toBe(true);
  });

  it('anchors patterns with a slash to the whole path; * stays inside a folder, ** crosses them', () => {
    expect(matches('saved_model/**/*', 'saved_model/variables/v.data')).toBe(true);
    expect(matches('saved_model/*', 'saved_model/variables/v.data')).toBe(false);
    expect(matches('saved_model/*', 'saved_model/v.data')).toBe(true);
    expect(matches('data/*.csv', 'other/data/x.csv')).toBe(false);
    expect(matches('file?.txt', 'file1.txt')).toBe(true);
    expect(matches('file?.txt', 'file/.txt')).toBe(false);
    expect(matches('a.b', 'axb')).toBe(false);
  });

  it('ignores comments and patterns without filter=lfs', () => {
    expect(lfsPatterns('# *.bin filter=lfs\n*.txt text\n\n')).toEqual([]);
  });

  it('answers a pattern that made the old regular expression backtrack for minutes at once', () => {
    const started = performance.now();
    expect(matches(`${'*a'.repeat(8)}*b`, 'a'.repeat(1000))).toBe(false);
    expect(matches(`${'*a'.repeat(8)}*b`, `${'a'.repeat(999)}b`)).toBe(true);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
