import { CloseCode, STREAM_CLOSE_EVENT, spaceAppPath } from '@atrium/protocol';
import { demo, Textbox } from '@atrium/sandbox/sdk';
import { InProcessDemoBackend } from '@atrium/server/spaces/gradio/index';
import { Client } from '@gradio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRepo, until } from '../collab/collabClients.js';
import {
  bearer,
  createUser,
  startTestServer,
  type TestServer,
  type TestUser,
  uniqueName,
} from '../harness/index.js';
import { setPrivate } from './accessChanges.js';
import { readEventStream } from './eventStreams.js';

// A generous tripwire for a hang; the figure (goal ≤ 1 s) is measured in bench/access.
const CLOSE_WITHIN_MS = 5_000;

/** A demo that streams a token every 50 ms for half a minute, stopping when cancelled. */
const slow = demo({
  async *fn({ prompt }, { signal }) {
    let text = prompt;
    for (let i = 0; i < 600 && !signal?.aborted; i++) {
      await new Promise((r) => setTimeout(r, 50));
      text += '.';
      yield { text };
    }
  },
  inputs: [Textbox({ name: 'prompt' })],
  outputs: [Textbox({ name: 'text' })],
  apiName: 'generate',
});

describe('Space streams follow access', () => {
  let server: TestServer;
  let owner: TestUser;
  let reader: TestUser;

  beforeAll(async () => {
    server = await startTestServer();
    await createUser(server.url);
    [owner, reader] = await Promise.all([createUser(server.url), createUser(server.url)]);
  });
  afterAll(async () => {
    await server.stop();
  });

  /** A public Space whose app is the slow demo (running in the server: the sandbox is not what is tested). */
  async function slowSpace(): Promise<{ id: string; app: string }> {
    const name = uniqueName('slow');
    const create = await fetch(`${server.url}/api/repos/create`, {
      method: 'POST',
      headers: { ...bearer(owner.token), 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'space', name, sdk: 'atrium' }),
    });
    expect(create.status).toBe(200);
    const id = `${owner.name}/${name}`;
    await server.services.gradio.register(id, new InProcessDemoBackend(slow));
    return { id, app: `${server.url}${spaceAppPath(id)}` };
  }

  it('ends a reader’s run-log stream with the close event when the Space is made private; the owner’s goes on', async () => {
    const id = await makeRepo(server, owner, 'space');
    const open = (token: string) =>
      fetch(`${server.url}/api/spaces/${id}/logs/run`, { headers: bearer(token) });
    const [theirs, mine] = (await Promise.all([open(reader.token), open(owner.token)])).map(readEventStream);

    await setPrivate(server.url, owner, 'space', id, true);
    await until(() => theirs!.ended, CLOSE_WITHIN_MS, 'the reader’s stream ending');
    expect(theirs!.events.at(-1)).toEqual({
      event: STREAM_CLOSE_EVENT,
      data: { code: CloseCode.AccessRevoked, reason: expect.any(String) },
    });
    expect(mine!.ended).toBe(false);
    await mine!.cancel();
  });

  it('fails a visitor’s streaming @gradio/client call with the reason when the Space is made private', async () => {
    const { id, app } = await slowSpace();
    const client = await Client.connect(app, { events: ['data', 'status'] });
    const seen: { type: string; stage?: string; message?: string }[] = [];
    const job = (async () => {
      for await (const message of client.submit('/generate', { prompt: 'Once' })) {
        seen.push(message as (typeof seen)[number]);
        if (message.type === 'status' && message.stage === 'error') return;
      }
    })();
    await until(() => seen.some((m) => m.type === 'data'), 10_000, 'the first partial output');

    await setPrivate(server.url, owner, 'space', id, true);
    await until(() => seen.some((m) => m.stage === 'error'), CLOSE_WITHIN_MS, 'the call failing');
    await job;
    expect(seen.find((m) => m.stage === 'error')?.message).toMatch(/no longer available to you/);
    await until(() => server.services.gradio.get(id)?.pending === 0, CLOSE_WITHIN_MS, 'the call cancelled');
    client.close();
    server.services.gradio.unregister(id);
  });

  it('ends a curl-style call stream with an error event when the Space is made private', async () => {
    const { id, app } = await slowSpace();
    const started = await fetch(`${app}/gradio_api/call/generate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ data: ['Once'] }),
    });
    const { event_id } = (await started.json()) as { event_id: string };
    const stream = readEventStream(await fetch(`${app}/gradio_api/call/generate/${event_id}`));
    await until(
      () => stream.events.some((e) => e.event === 'generating'),
      10_000,
      'the first partial output',
    );

    await setPrivate(server.url, owner, 'space', id, true);
    await until(() => stream.ended, CLOSE_WITHIN_MS, 'the stream ending');
    expect(stream.events.at(-1)).toEqual({
      event: 'error',
      data: expect.stringMatching(/no longer available to you/),
    });
    await until(() => server.services.gradio.get(id)?.pending === 0, CLOSE_WITHIN_MS, 'the call cancelled');
    server.services.gradio.unregister(id);
  });
});
