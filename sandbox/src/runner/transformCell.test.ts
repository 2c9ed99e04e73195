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

  it('reports errors at the line and column the person sees in the cell', async () => {
    const context = vm.createContext({});
    /** Runs a cell as the kernel does and returns where its error says it happened. */
    const whereFails = async (source: string, name: string, language: 'javascript' | 'typescript') => {
      const cell = transformCell(source, language);
      const script = new vm.Script(cell.code, { filename: name, columnOffset: cell.columnOffset });
      const error = await (script.runInContext(context) as Promise<unknown>).then(
        () => null,
        (e: Error) => e,
      );
      return error?.stack
        ?.match(new RegExp(`${name}:(\\d+):(\\d+)`))
        ?.slice(1)
        .map(Number);
    };
    expect(await whereFails('throw new Error("one line")', 'cell-1.ts', 'typescript')).toEqual([1, 7]);
    expect(
      await whereFails(
        'const a: number = 1;\nfunction f(x: number) {\n  return x;\n}\nnull.boom;',
        'cell-2.ts',
        'typescript',
      ),
    ).toEqual([5, 6]);
    // A function keeps the lines of the cell that defined it when a later cell calls it.
    expect(
      await whereFails(
        'const {\n  b,\n  c,\n} = { b: 1, c: 2 };\nfunction g() {\n  throw new Error("in g");\n}',
        'cell-3.js',
        'javascript',
      ),
    ).toBeUndefined();
    expect(await whereFails('g()', 'cell-4.js', 'javascript')).toEqual([1, 1]);
    const inG = await (vm.runInContext('g', context) as () => void);
    expect(() => inG()).toThrow('in g');
    let stack = '';
    try {
      inG();
    } catch (e) {
      stack = (e as Error).stack ?? '';
    }
    expect(stack).toContain('cell-3.js:6:9');
  });

  it('shows a display.png(…) or display.html(…) standing alone as a statement, once', async () => {
    const shown: unknown[] = [];
    const display = Object.assign((v: unknown) => shown.push(v), {
      png: (b: string) => ({ png: b }),
      html: (h: string) => ({ html: h }),
    });
    const context = vm.createContext({ display });
    const run = (code: string) => vm.runInContext(transformCell(code).code, context) as Promise<unknown>;
    expect(
      await run('display.png("a");\nfor (const h of ["x"]) { display.html(h); }\ndisplay.png("last")'),
    ).toEqual({
      png: 'last',
    });
    expect(shown).toEqual([{ png: 'a' }, { html: 'x' }]);
    shown.length = 0;
    // Already displayed, kept in a variable, or passed on: left as written.
    await run('display(display.html("once")); const kept = display.png("k"); String(display.png("s"));');
    expect(shown).toEqual([{ html: 'once' }]);
  });

  it('refuses syntax errors and exports', () => {
    expect(() => transformCell('let = = 1')).toThrow(SyntaxError);
    expect(() => transformCell('export const a = 1')).toThrow(/export/);
  });
});
