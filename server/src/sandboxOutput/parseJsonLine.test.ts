import { describe, expect, it } from 'vitest';
import { NOT_JSON, nestsWithin, parseJsonLine } from './parseJsonLine.js';

describe('parseJsonLine', () => {
  it('parses JSON and tells text that is not JSON apart', () => {
    expect(parseJsonLine('{"a":[1,{"b":null}]}')).toEqual({ ok: true, value: { a: [1, { b: null }] } });
    expect(parseJsonLine('hello')).toEqual({ ok: false, problem: NOT_JSON });
  });

  it('refuses nesting past the limit before parsing, at once however long the line', () => {
    const started = performance.now();
    expect(parseJsonLine('['.repeat(20_000_000))).toEqual({
      ok: false,
      problem: 'nested deeper than 64 levels',
    });
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(nestsWithin(`${'['.repeat(64)}${']'.repeat(64)}`, 64)).toBe(true);
    expect(nestsWithin(`${'{"a":'.repeat(65)}1${'}'.repeat(65)}`, 64)).toBe(false);
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    const value = { text: `${'['.repeat(500)}\\"{{{` };
    expect(parseJsonLine(JSON.stringify(value))).toEqual({ ok: true, value });
  });
});
