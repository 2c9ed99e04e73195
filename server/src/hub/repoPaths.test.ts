import { describe, expect, it } from 'vitest';
import { pathProblem } from './repoPaths.js';

describe('repository file paths', () => {
  it('accepts ordinary nested paths, dots inside names and dotfiles', () => {
    for (const ok of ['README.md', 'a/b/c.bin', '.gitattributes', 'v1.2/model..x', 'dir/.hidden'])
      expect(pathProblem(ok), ok).toBeNull();
  });

  it('refuses traversal, absolute paths, control characters, backslashes, empty segments and .git', () => {
    for (const bad of [
      '',
      '../x',
      'a/../b',
      'a/./b',
      '/abs',
      'C:/x',
      'a\u0000b',
      'a\nb',
      'a\\b',
      'a//b',
      'a/',
      '.git',
      'x/.git/config',
      'x'.repeat(1001),
    ]) {
      expect(pathProblem(bad), JSON.stringify(bad)).not.toBeNull();
    }
  });
});
