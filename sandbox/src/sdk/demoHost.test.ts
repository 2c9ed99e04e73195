import type { DemoHostReply } from '@atrium/protocol';
import { describe, expect, it } from 'vitest';
import { createDemoHost, demo, Number as Num, Textbox } from './index.js';

/** Polls `check`; a generous deadline (a tripwire for a hang, not a goal), then a clear failure. */
const waitFor = async (check: () => boolean) => {
  const deadline = performance.now() + 10_000;
  while (!check()) {
    if (performance.now() > deadline) throw new Error('timed out waiting for the demo host to reply');
    await new Promise((r) => setTimeout(r, 2));
  }
};

describe('createDemoHost (app mode)', () => {
  const counter = demo({
    async *fn({ upTo }) {
      for (let i = 1; i <= upTo; i++) {
        yield { count: String(i) };
        await new Promise((r) => setTimeout(r, 1));
      }
    },
    inputs: [Num({ name: 'upTo', maximum: 1000 })],
    outputs: [Textbox({ name: 'count' })],
  });

  it('answers describe, streams partials of a call and ends with its result, by id', async () => {
    const replies: DemoHostReply[] = [];
    const handle = createDemoHost(counter, (r) => replies.push(r));
    handle({ type: 'describe', id: 'd' });
    handle({ type: 'call', id: 'c', apiName: 'predict', inputs: [3] });
    await waitFor(() => replies.some((r) => r.type === 'result'));
    expect(replies[0]).toEqual({ type: 'description', id: 'd', demo: counter.description });
    expect(replies.slice(1).map((r) => [r.type, r.id, 'outputs' in r ? r.outputs : null])).toEqual([
      ['partial', 'c', ['1']],
      ['partial', 'c', ['2']],
      ['partial', 'c', ['3']],
      ['result', 'c', ['3']],
    ]);
  });

  it('answers a call whose function threw an odd value even when hearing the error fails', async () => {
    const odd = demo({
      fn() {
        const err = new Error('broken');
        Object.defineProperty(err, 'stack', { value: 42 });
        throw err;
      },
      inputs: [],
      outputs: [Textbox({ name: 'out' })],
    });
    const unprintable = demo({
      fn() {
        throw Object.create(null);
      },
      inputs: [],
      outputs: [Textbox({ name: 'out' })],
    });
    for (const d of [odd, unprintable]) {
      const replies: DemoHostReply[] = [];
      const handle = createDemoHost(
        d,
        (r) => replies.push(r),
        () => {
          throw new Error('the log failed');
        },
      );
      handle({ type: 'call', id: 'c', apiName: 'predict', inputs: [] });
      await waitFor(() => replies.length > 0);
      expect(replies[0]).toMatchObject({ type: 'error', id: 'c', kind: 'function' });
    }
  });

  it('reports bad input and an unknown endpoint as input errors, and stops a cancelled call', async () => {
    const replies: DemoHostReply[] = [];
    const handle = createDemoHost(counter, (r) => replies.push(r));
    handle({ type: 'call', id: 'bad', apiName: 'predict', inputs: [5000] });
    handle({ type: 'call', id: 'nope', apiName: 'other', inputs: [] });
    handle({ type: 'call', id: 'long', apiName: 'predict', inputs: [1000] });
    await waitFor(() => replies.some((r) => r.id === 'long'));
    handle({ type: 'cancel', id: 'long' });
    await waitFor(() => replies.some((r) => r.id === 'long' && r.type === 'error'));
    const errors = replies.filter((r) => r.type === 'error');
    expect(errors).toEqual([
      { type: 'error', id: 'nope', message: 'No endpoint named "/other"', kind: 'input' },
      { type: 'error', id: 'bad', message: 'Input "upTo": must be at most 1000', kind: 'input' },
      { type: 'error', id: 'long', message: 'Cancelled', kind: 'cancelled' },
    ]);
    expect(replies.filter((r) => r.id === 'long' && r.type === 'partial').length).toBeLessThan(100);
  });
});
