import { describe, expect, it } from 'vitest';
import { collapseCarriageReturns } from './carriageReturns.js';

describe('collapseCarriageReturns', () => {
  it('keeps only the last redraw of a progress line', () => {
    expect(collapseCarriageReturns('\r 10%|#  |\r 50%|## |\r100%|###|\n')).toBe('100%|###|\n');
  });

  it('leaves text without carriage returns as it is', () => {
    expect(collapseCarriageReturns('a\nb\n')).toBe('a\nb\n');
  });

  it('treats \\r\\n as a line end', () => {
    expect(collapseCarriageReturns('a\r\nb')).toBe('a\nb');
  });

  it('keeps a trailing carriage return so the next chunk overwrites the line', () => {
    expect(collapseCarriageReturns('done\nworking\r')).toBe('done\nworking\r');
    expect(collapseCarriageReturns(`${'working\r'}finished`)).toBe('finished');
  });
});
