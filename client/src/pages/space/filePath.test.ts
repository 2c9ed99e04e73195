import { describe, expect, it } from 'vitest';
import { pathProblem } from './filePath';
import { spaceEmoji, spaceGradient, spaceTitle } from './spaceColors';

describe('pathProblem', () => {
  it('accepts relative paths, nested or not', () => {
    expect(pathProblem('app.ts', false)).toBeNull();
    expect(pathProblem('docs/notes.md', false)).toBeNull();
  });
  it('refuses empty, absolute, dotted and doubled-slash paths, and names already taken', () => {
    expect(pathProblem('', false)).toMatch(/name/);
    expect(pathProblem('/etc/passwd', false)).toMatch(/relative/);
    expect(pathProblem('../x', false)).toMatch(/relative/);
    expect(pathProblem('a//b', false)).toMatch(/relative/);
    expect(pathProblem('./a', false)).toMatch(/relative/);
    expect(pathProblem('x'.repeat(201), false)).toMatch(/200/);
    expect(pathProblem('app.ts', true)).toBe('app.ts already exists.');
  });
});

describe('Space card colours', () => {
  it("turns the card's colorFrom/colorTo into a gradient, with defaults for unknown names", () => {
    expect(spaceGradient({ colorFrom: 'green', colorTo: 'blue' })).toBe(
      'linear-gradient(135deg, #4ade80, #60a5fa)',
    );
    expect(spaceGradient({ colorFrom: 'url(javascript:x)' })).toBe(
      'linear-gradient(135deg, #60a5fa, #818cf8)',
    );
    expect(spaceGradient(undefined)).toBe('linear-gradient(135deg, #60a5fa, #818cf8)');
  });
  it('falls back to a rocket and the repository name', () => {
    expect(spaceEmoji({})).toBe('🚀');
    expect(spaceEmoji({ emoji: '😊' })).toBe('😊');
    expect(spaceTitle({}, 'alice/demo')).toBe('demo');
    expect(spaceTitle({ title: 'Demo' }, 'alice/demo')).toBe('Demo');
  });
});
