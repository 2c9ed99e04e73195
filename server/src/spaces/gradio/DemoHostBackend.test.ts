import type { DemoDescription, DemoHostRequest } from '@atrium/protocol';
import { Label, Textbox } from '@atrium/sandbox/sdk';
import { describe, expect, it } from 'vitest';
import { DemoHostBackend, type DemoHostChannel } from './DemoHostBackend.js';

const DEMO: DemoDescription = {
  title: 'Test',
  inputs: [Textbox({ name: 'text' }).config],
  outputs: [Textbox({ name: 'reply' }).config, Label({ name: 'mood' }).config],
  examples: [],
  concurrencyLimit: 1,
  streaming: true,
  apiName: 'predict',
};

/** A fake host: the test reads the backend's requests and answers whatever it likes. */
function fakeHost() {
  const requests: DemoHostRequest[] = [];
  const dropped: string[] = [];
  let reply: (r: unknown) => void = () => {};
  const channel: DemoHostChannel = {
    send: (r) => requests.push(r),
    onReply: (listener) => {
      reply = listener;
    },
    onClose: () => {},
    dropped: (problem) => dropped.push(problem),
  };
  return { channel, requests, dropped, answer: (r: unknown) => reply(r) };
}

/** A described backend with one call under way: its id, and the partials it received. */
async function calling() {
  const host = fakeHost();
  const backend = new DemoHostBackend(host.channel);
  const description = backend.describe();
  host.answer({ type: 'description', id: host.requests[0]?.id, demo: DEMO });
  await expect(description).resolves.toEqual(DEMO);
  const partials: unknown[][] = [];
  const call = backend.call('predict', ['hi'], {
    onPartial: (o) => partials.push(o),
    signal: new AbortController().signal,
  });
  return { host, call, partials, id: host.requests[1]?.id };
}

describe('DemoHostBackend', () => {
  it('drops replies of the wrong shape, ignores replies to unknown calls, and the call still completes', async () => {
    const { host, call, partials, id } = await calling();
    for (const junk of [
      42,
      null,
      { type: 'partial', id, outputs: 42 },
      { type: 'result', id },
      { type: 'error', id, message: 'x', kind: 'nonsense' },
      { type: 'description', id, demo: DEMO },
    ])
      host.answer(junk);
    host.answer({ type: 'result', id: 'nobody', outputs: ['x', 'y'], durationMs: 1 });
    host.answer({ type: 'partial', id, outputs: ['h', null] });
    host.answer({ type: 'result', id, outputs: ['hello', { label: 'happy' }], durationMs: 3 });
    await expect(call).resolves.toEqual({ outputs: ['hello', { label: 'happy' }], durationMs: 3 });
    expect(partials).toEqual([['h', null]]);
    expect(host.dropped).toHaveLength(6);
    // A finished call's late replies are ignored too.
    host.answer({ type: 'result', id, outputs: ['again', null], durationMs: 1 });
    expect(host.dropped).toHaveLength(6);
  });

  it("drops partials and fails results whose outputs do not fit the demo's output components", async () => {
    const { host, call, partials, id } = await calling();
    host.answer({ type: 'partial', id, outputs: ['only one'] });
    host.answer({ type: 'partial', id, outputs: [{ not: 'text' }, null] });
    host.answer({ type: 'result', id, outputs: ['fine', [1, 2]], durationMs: 1 });
    await expect(call).rejects.toThrow(/do not fit its output components: Output "mood"/);
    expect(partials).toEqual([]);
    expect(host.dropped).toHaveLength(2);
  });

  it('fails describe when the description is not one the SDK could have made', async () => {
    const host = fakeHost();
    const backend = new DemoHostBackend(host.channel);
    const description = backend.describe();
    const dropdown = { type: 'dropdown', name: 'pick', choices: [] };
    host.answer({ type: 'description', id: host.requests[0]?.id, demo: { ...DEMO, inputs: [dropdown] } });
    host.answer({ type: 'description', id: host.requests[0]?.id, demo: { ...DEMO, title: 7 } });
    expect(host.dropped).toHaveLength(2);
    const slider = { type: 'slider', name: 's', minimum: 5, maximum: 1, step: 1 };
    host.answer({ type: 'description', id: host.requests[0]?.id, demo: { ...DEMO, inputs: [slider] } });
    await expect(description).rejects.toThrow(/described itself wrongly: Slider "s"/);
  });
});
