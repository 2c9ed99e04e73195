import { demo, Number as Num, Textbox } from '@atrium/sandbox/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { GradioApp } from './GradioApp.js';
import { GradioApps } from './GradioApps.js';
import { InProcessDemoBackend } from './InProcessDemoBackend.js';
import type { EventSink } from './sse.js';

/** Collects what a stream would carry, and resolves when it ends. */
function recorder() {
  const messages: [string | undefined, unknown][] = [];
  let ended!: () => void;
  const done = new Promise<void>((r) => {
    ended = r;
  });
  const sink: EventSink = { send: (event, data) => messages.push([event, data]), end: () => ended() };
  return { sink, messages, done };
}

const echo = demo({
  async *fn({ text }) {
    yield { out: `${text}.` };
    yield { out: `${text}..` };
  },
  inputs: [Textbox({ name: 'text' })],
  outputs: [Textbox({ name: 'out' })],
});

describe('GradioApp', () => {
  let app: GradioApp | undefined;
  afterEach(() => app?.close());

  it('buffers a session’s messages until its stream opens, then closes the stream when nothing is pending', async () => {
    app = await GradioApp.create(new InProcessDemoBackend(echo));
    const id = app.join('s1', 0, ['a']);
    await new Promise((r) => setTimeout(r, 20));
    const { sink, messages, done } = recorder();
    app.openSessionStream('s1', sink);
    await done;
    expect(messages.map(([, m]) => (m as { msg: string }).msg)).toEqual([
      'estimation',
      'process_starts',
      'process_generating',
      'process_generating',
      'process_completed',
      'close_stream',
    ]);
    expect(messages[2]?.[1]).toMatchObject({ event_id: id, output: { data: ['a.'] } });
    expect(messages[3]?.[1]).toMatchObject({ output: { data: [[['append', [], '.']]] } });
    expect(messages[4]?.[1]).toMatchObject({ success: true, output: { data: ['a..'] } });
  });

  it('refuses bad input at join, before it takes a place in the queue', async () => {
    app = await GradioApp.create(
      new InProcessDemoBackend(
        demo({ fn: ({ n }) => ({ n }), inputs: [Num({ name: 'n' })], outputs: [Num({ name: 'n' })] }),
      ),
    );
    expect(() => app?.join('s', 0, ['x'])).toThrow('Input "n": expected a number, got a string');
    expect(() => app?.join('s', 3, [1])).toThrow('No function with fn_index 3');
    expect(app.pending).toBe(0);
  });

  it('answers 503-style queue full when too many calls wait', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const slow = demo({
      fn: async () => gate.then(() => ({ n: 1 })),
      inputs: [],
      outputs: [Num({ name: 'n' })],
    });
    app = await GradioApp.create(new InProcessDemoBackend(slow), { maxPending: 2 });
    app.join('s', 0, []);
    app.join('s', 0, []);
    expect(() => app?.join('s', 0, [])).toThrow(/busy/);
    release();
  });

  it('cancels a waiting call and reports it to its caller', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const slow = demo({
      fn: async () => gate.then(() => ({ n: 1 })),
      inputs: [],
      outputs: [Num({ name: 'n' })],
    });
    app = await GradioApp.create(new InProcessDemoBackend(slow));
    const first = app.startCall('predict', []);
    const second = app.startCall('predict', []);
    expect(app.cancel(second)).toBe(true);
    release();
    const a = recorder();
    const b = recorder();
    app.openCallStream('predict', first, a.sink);
    app.openCallStream('predict', second, b.sink);
    await Promise.all([a.done, b.done]);
    expect(a.messages).toEqual([['complete', [1]]]);
    expect(b.messages).toEqual([['error', 'Cancelled before it started']]);
  });
});

describe('GradioApp.close', () => {
  it('tells a caller who had not opened its stream yet, once it opens it on the app that replaced it', async () => {
    const never = demo({
      fn: () => new Promise<{ n: number }>(() => {}),
      inputs: [],
      outputs: [Num({ name: 'n' })],
    });
    const apps = new GradioApps();
    const old = await apps.register('a/b', new InProcessDemoBackend(never));
    const id = old.join('s1', 0, []);
    const replacement = await apps.register('a/b', new InProcessDemoBackend(never));
    const { sink, messages, done } = recorder();
    replacement.openSessionStream('s1', sink);
    await done;
    expect(messages.map(([, m]) => m)).toEqual([
      expect.objectContaining({ msg: 'estimation', event_id: id }),
      expect.objectContaining({ msg: 'process_starts', event_id: id }),
      {
        msg: 'process_completed',
        event_id: id,
        output: { error: 'The app stopped or restarted', title: 'Error', visible: true },
        success: false,
      },
      { msg: 'close_stream', event_id: null },
    ]);
    apps.close();
  });

  it('tells open streams that their unfinished calls failed, then ends them', async () => {
    const never = demo({
      fn: () => new Promise<{ n: number }>(() => {}),
      inputs: [],
      outputs: [Num({ name: 'n' })],
    });
    const app = await GradioApp.create(new InProcessDemoBackend(never));
    const id = app.join('s', 0, []);
    const session = recorder();
    app.openSessionStream('s', session.sink);
    const callId = app.startCall('predict', []);
    const call = recorder();
    app.openCallStream('predict', callId, call.sink);
    app.close('The app restarted');
    await Promise.all([session.done, call.done]);
    expect(session.messages.slice(-2).map(([, m]) => m)).toEqual([
      {
        msg: 'process_completed',
        event_id: id,
        output: { error: 'The app restarted', title: 'Error', visible: true },
        success: false,
      },
      { msg: 'close_stream', event_id: null },
    ]);
    expect(call.messages).toEqual([['error', 'The app restarted']]);
  });
});

describe('the call time limit', () => {
  let app: GradioApp | undefined;
  afterEach(() => app?.close());

  it('stops a call at the time limit with a clear error, and the next caller in line goes on', async () => {
    const lines: string[] = [];
    const hangs = demo({
      fn: ({ text }: { text: string }) => (text === 'hang' ? new Promise<never>(() => {}) : { out: text }),
      inputs: [Textbox({ name: 'text' })],
      outputs: [Textbox({ name: 'out' })],
    });
    app = await GradioApp.create(new InProcessDemoBackend(hangs), {
      callTimeoutMs: 100,
      onCallTimeout: (line) => lines.push(line),
    });
    const first = recorder();
    const second = recorder();
    const hung = app.startCall('predict', ['hang']);
    const next = app.startCall('predict', ['next']);
    app.openCallStream('predict', hung, first.sink);
    app.openCallStream('predict', next, second.sink);
    await Promise.all([first.done, second.done]);
    expect(first.messages).toEqual([
      [
        'error',
        "This call took longer than the Space's limit of 0.1 s and was stopped (call_duration_timeout in its README.md).",
      ],
    ]);
    expect(second.messages).toEqual([['complete', ['next']]]);
    expect(lines).toEqual(["A call to /predict was stopped after 0.1 s (the Space's call_duration_timeout)"]);
  });

  it('calls an app stuck when it does not give up a stopped call within the grace period', async () => {
    const stuck: string[] = [];
    // A fake backend that ignores cancellation, as an app blocked in a synchronous loop does.
    const ignoresCancel = {
      describe: async () => echo.description,
      call: () => new Promise<never>(() => {}),
    };
    app = await GradioApp.create(ignoresCancel, {
      callTimeoutMs: 50,
      cancelGraceMs: 50,
      onStuck: (line) => stuck.push(line),
    });
    const { sink, done } = recorder();
    app.openCallStream('predict', app.startCall('predict', ['x']), sink);
    await done;
    for (const deadline = Date.now() + 5000; stuck.length === 0 && Date.now() < deadline; )
      await new Promise((r) => setTimeout(r, 10));
    expect(stuck).toEqual(['The app did not stop a call within 0.05 s of its cancel']);
  });
});
