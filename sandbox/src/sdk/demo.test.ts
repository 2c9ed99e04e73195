import { describe, expect, it } from 'vitest';
import { DemoError, DemoQueue, demo, Label, Number as Num, Textbox } from './index.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('demo()', () => {
  it('describes its components, examples and queue limit', () => {
    const d = demo({
      fn: ({ text }) => ({ label: text }),
      inputs: [Textbox({ name: 'text', label: 'Text' })],
      outputs: [Label({ name: 'label', numTopClasses: 3 })],
      examples: [['I love it']],
      title: 'Sentiment',
      concurrencyLimit: 2,
    });
    expect(d.description).toEqual({
      title: 'Sentiment',
      inputs: [{ type: 'textbox', name: 'text', label: 'Text', lines: 1 }],
      outputs: [{ type: 'label', name: 'label', label: 'label', numTopClasses: 3 }],
      examples: [['I love it']],
      concurrencyLimit: 2,
      streaming: false,
      apiName: 'predict',
    });
  });

  it('calls the function with typed inputs given as a list or by name', async () => {
    const d = demo({
      fn: ({ a, b }) => ({ sum: a + b }),
      inputs: [Num({ name: 'a' }), Num({ name: 'b' })],
      outputs: [Num({ name: 'sum' })],
    });
    expect((await d.call([2, '3'])).outputs).toEqual([5]);
    expect((await d.call({ a: 1, b: 1 })).outputs).toEqual([2]);
  });

  it('refuses a bad example at declaration', () => {
    expect(() =>
      demo({
        fn: () => ({ n: 1 }),
        inputs: [Num({ name: 'n', maximum: 1 })],
        outputs: [Num({ name: 'n' })],
        examples: [[5]],
      }),
    ).toThrow(/at most 1/);
  });

  it('fails only the call with bad input, before running the function', async () => {
    let ran = 0;
    const d = demo({
      fn: ({ n }) => {
        ran++;
        return { out: n * 2 };
      },
      inputs: [Num({ name: 'n' })],
      outputs: [Num({ name: 'out' })],
    });
    await expect(d.call(['many'])).rejects.toMatchObject({
      kind: 'input',
      message: 'Input "n": expected a number, got a string',
    });
    await expect(d.call({ m: 1 })).rejects.toThrow(/Unknown input\(s\): m/);
    await expect(d.call([1, 2])).rejects.toThrow(/at most 1 inputs/);
    expect(ran).toBe(0);
    expect((await d.call([4])).outputs).toEqual([8]);
  });

  it('reports an error thrown by the function as a function error', async () => {
    const d = demo({
      fn: () => {
        throw new Error('model not loaded');
      },
      inputs: [],
      outputs: [Textbox({ name: 'x' })],
    });
    await expect(d.call([])).rejects.toMatchObject({ kind: 'function', message: 'model not loaded' });
    const bad = demo({
      fn: () => ({ x: 5 as unknown as string }),
      inputs: [],
      outputs: [Textbox({ name: 'x' })],
    });
    await expect(bad.call([])).rejects.toMatchObject({
      kind: 'function',
      message: 'Output "x": expected text, got a number',
    });
  });

  it('streams each partial output of a generator function and returns the last', async () => {
    const d = demo({
      async *fn({ prompt }) {
        let text = '';
        for (const token of prompt.split(' ')) {
          text += (text ? ' ' : '') + token;
          yield { text };
        }
      },
      inputs: [Textbox({ name: 'prompt' })],
      outputs: [Textbox({ name: 'text' })],
    });
    expect(d.description.streaming).toBe(true);
    const partials: unknown[][] = [];
    const result = await d.call(['one two three'], { onPartial: (o) => partials.push(o) });
    expect(partials).toEqual([['one'], ['one two'], ['one two three']]);
    expect(result.outputs).toEqual(['one two three']);
  });

  it('stops a generator when the caller cancels', async () => {
    let yielded = 0;
    const d = demo({
      async *fn() {
        for (let i = 0; i < 100; i++) {
          yielded++;
          yield { n: i };
          await sleep(1);
        }
      },
      inputs: [],
      outputs: [Num({ name: 'n' })],
    });
    const abort = new AbortController();
    const call = d.call([], { signal: abort.signal, onPartial: () => yielded === 3 && abort.abort() });
    await expect(call).rejects.toMatchObject({ kind: 'cancelled' });
    expect(yielded).toBe(3);
  });

  it('frees its place in the line when a call whose function never settles is cancelled', async () => {
    const d = demo({
      fn: ({ text }: { text: string }) => (text === 'hang' ? new Promise<never>(() => {}) : { out: text }),
      inputs: [Textbox({ name: 'text' })],
      outputs: [Textbox({ name: 'out' })],
    });
    const abort = new AbortController();
    const hung = d.call(['hang'], { signal: abort.signal });
    const next = d.call(['next']);
    abort.abort();
    await expect(hung).rejects.toMatchObject({ kind: 'cancelled' });
    expect((await next).outputs).toEqual(['next']);
  });
});

describe('DemoQueue', () => {
  it('runs at most `limit` tasks at once and starts them in arrival order', async () => {
    const queue = new DemoQueue(2);
    let running = 0;
    let peak = 0;
    const started: number[] = [];
    const tasks = Array.from({ length: 50 }, (_, i) =>
      queue.run(async () => {
        started.push(i);
        running++;
        peak = Math.max(peak, running);
        await sleep(i % 3);
        running--;
        return i;
      }),
    );
    expect(await Promise.all(tasks)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(started).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(peak).toBe(2);
  });

  it('tells waiters their rank as the line moves and drops a cancelled waiter', async () => {
    const queue = new DemoQueue(1);
    let release!: () => void;
    const first = queue.run(() => new Promise<void>((r) => (release = r)));
    const ranks: number[] = [];
    const abort = new AbortController();
    const second = queue.run(async () => 'second', { signal: abort.signal });
    const third = queue.run(async () => 'third', { onRank: (rank) => ranks.push(rank) });
    expect(queue.size).toBe(2);
    abort.abort();
    await expect(second).rejects.toBeInstanceOf(DemoError);
    release();
    await first;
    expect(await third).toBe('third');
    expect(ranks).toEqual([1, 0]);
  });

  it('keeps going after a task fails', async () => {
    const queue = new DemoQueue(1);
    const failed = queue.run(() => {
      throw new Error('boom');
    });
    await expect(failed).rejects.toThrow('boom');
    expect(await queue.run(() => 7)).toBe(7);
    expect(queue.running).toBe(0);
  });
});
