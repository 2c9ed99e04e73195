import { describe, expect, it } from 'vitest';
import { safeNext } from './safeNext';

describe('safeNext', () => {
  it('keeps a path on this site, with its query', () => {
    expect(safeNext('/settings/tokens?tab=1')).toBe('/settings/tokens?tab=1');
  });

  it.each([
    null,
    undefined,
    '',
    'https://evil.example/',
    '//evil.example/x',
    '/\\evil.example',
    'javascript:alert(1)',
  ])('sends %j home instead of off-site', (next) => {
    expect(safeNext(next)).toBe('/');
  });
});
