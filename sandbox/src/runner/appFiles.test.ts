import { describe, expect, it } from 'vitest';
import { AppBuildError, builtName, prepareAppFiles } from './appFiles.js';

const file = (path: string, text: string) => ({ path, bytes: Buffer.from(text) });

describe('prepareAppFiles', () => {
  it('strips types and points relative imports at the built modules', () => {
    const out = prepareAppFiles([
      file(
        'app.ts',
        "import { greet } from './lib/greet';\nconst n: number = 1;\nexport default greet(n);\n",
      ),
      file('lib/greet.ts', 'export const greet = (n: number): string => `hi ${n}`;\n'),
      file('data.json', '{"a":1}'),
    ]);
    const app = out.find((f) => f.path === 'app.mjs')?.bytes.toString();
    expect(app).toContain("from './lib/greet.mjs'");
    expect(app).not.toContain(': number');
    expect(out.map((f) => f.path).sort()).toEqual([
      'app.mjs',
      'app.ts',
      'data.json',
      'lib/greet.mjs',
      'lib/greet.ts',
    ]);
  });

  it('keeps bare imports and .js files as they are', () => {
    const out = prepareAppFiles([
      file('app.ts', "import { demo } from '@atrium/sandbox/sdk';\nexport default demo;\n"),
    ]);
    expect(out.find((f) => f.path === 'app.mjs')?.bytes.toString()).toContain("from '@atrium/sandbox/sdk'");
    expect(builtName('x.js')).toBe('x.js');
  });

  it('names the file when TypeScript cannot be parsed', () => {
    expect(() => prepareAppFiles([file('app.ts', 'const = ;')])).toThrow(AppBuildError);
    expect(() => prepareAppFiles([file('app.ts', 'const = ;')])).toThrow(/app\.ts/);
  });

  it('skips paths that would escape the app folder', () => {
    expect(prepareAppFiles([file('../evil.js', 'x'), file('node_modules/a.js', 'y')])).toEqual([]);
  });
});
