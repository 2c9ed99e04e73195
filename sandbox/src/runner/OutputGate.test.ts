import { OUTPUT_TRUNCATED_NOTICE } from '@atrium/protocol';
import { describe, expect, it } from 'vitest';
import type { ChildEvent } from './ipc.js';
import { OutputGate } from './OutputGate.js';

function gate(maxBytes = 1000, maxDisplaysPerSecond = 3) {
  const sent: ChildEvent[] = [];
  const g = new OutputGate({ maxBytes, maxDisplaysPerSecond }, (e) => sent.push(e));
  g.begin();
  return { g, sent };
}

describe('OutputGate', () => {
  it('coalesces writes into one stream message per stream, in order', () => {
    const { g, sent } = gate();
    g.stream('stdout', 'a');
    g.stream('stdout', 'b');
    g.stream('stderr', 'c');
    g.stream('stdout', 'd');
    g.end();
    expect(sent).toEqual([
      { t: 'stream', name: 'stdout', text: 'ab' },
      { t: 'stream', name: 'stderr', text: 'c' },
      { t: 'stream', name: 'stdout', text: 'd' },
    ]);
  });

  it('flushes pending text before a rich output so the order is kept', () => {
    const { g, sent } = gate();
    g.stream('stdout', 'before');
    g.display(false, { 'text/plain': 'x' }, 'd1');
    g.end();
    expect(sent.map((e) => e.t)).toEqual(['stream', 'display']);
  });

  it('truncates past the size cap with one notice', () => {
    const { g, sent } = gate(10);
    g.stream('stdout', '12345');
    g.stream('stdout', '67890');
    g.stream('stdout', 'overflow');
    g.stream('stdout', 'more');
    g.end();
    expect(sent).toEqual([
      { t: 'stream', name: 'stdout', text: '1234567890' },
      { t: 'stream', name: 'stderr', text: OUTPUT_TRUNCATED_NOTICE },
    ]);
  });

  it('drops rich outputs beyond the rate cap and says how many', () => {
    const { g, sent } = gate(1_000_000, 3);
    for (let i = 0; i < 5; i += 1) g.display(false, { 'text/plain': String(i) }, `d${i}`);
    g.end();
    expect(sent.filter((e) => e.t === 'display')).toHaveLength(3);
    expect(sent.at(-1)).toMatchObject({ t: 'stream', name: 'stderr' });
    expect((sent.at(-1) as { text: string }).text).toContain('2 rich outputs dropped');
  });
});
