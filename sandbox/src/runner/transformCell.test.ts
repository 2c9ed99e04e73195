import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { IMPORT_HELPER, transformCell } from './transformCell.js';

/** Runs cells one after another in one context, as the kernel does. */
function kernelLike() {
  const context = vm.createContext({
    [IMPORT_HELPER]: async (s: string) => ({ default: `module ${s}`, named: s.length }),
  });
  return (code: string, language: 'javascript' | 'typescript' = 'javascript') =>
    vm.runInContext(transformCell(code, language).code, context) as Promise<unknown>;
}

describe('transformCell', () => {
  it('keeps top-level declarations for later cells and lets a cell be re-run', async () => {
    const run = kernelLike();
    expect(
      await run('const a = 1; let { b, c: [d] } = { b: 2, c: [3] }; function f() { return a + b + d }'),
    ).toBeUndefined();
    expect(await run('f()')).toBe(6);
    expect(await run('const a = 10; class K { v() { return a } }; new K().v()')).toBe(10);
    expect(await run('const a = 11; a')).toBe(11);
  });

  it('returns the last expression and allows top-level await', async () => {
    const run = kernelLike();
    expect(await run('const x = await Promise.resolve(20);\nx + 1')).toBe(21);
  });

  it('hoists function declarations so they can be called before they appear', async () => {
    expect(await kernelLike()('const r = g(); function g() { return 5 }; r')).toBe(5);
  });

  it('turns import statements and import() into the kernel loader', async () => {
    const run = kernelLike();
    expect(await run("import x, { named } from 'lib'; [x, named]")).toEqual(['module lib', 3]);
    expect(await run("const m = await import('other'); m.default")).toBe('module other');
  });

  it('strips TypeScript types', async () => {
    expect(
      await kernelLike()(
        'type N = number; const n: N = 2; const sq = (v: N): N => v * v; sq(n)',
        'typescript',
      ),
    ).toBe(4);
  });

  it('refuses syntax errors and exports', () => {
    expect(() => transformCell('let = = 1')).toThrow(SyntaxError);
    expect(() => transformCell('export const a = 1')).toThrow(/export/);
  });
});
