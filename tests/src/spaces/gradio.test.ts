import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type ChatMessage, demoApiSnippets, spaceAppPath } from '@atrium/protocol';
import { Chatbot, demo, Image, JSON as Json, Label, Number as Num, Textbox } from '@atrium/sandbox/sdk';
import {
  childProcessChannel,
  DemoHostBackend,
  InProcessDemoBackend,
} from '@atrium/server/spaces/gradio/index';
import { Client } from '@gradio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createUser, startTestServer, type TestServer, waitFor } from '../harness/index.js';

const run = promisify(execFile);

/** A tiny 1x1 PNG. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

const sentiment = demo({
  fn: ({ text }) => {
    const positive = /love|great|good/i.test(text) ? 0.9 : 0.2;
    return { label: { POSITIVE: positive, NEGATIVE: 1 - positive } };
  },
  inputs: [Textbox({ name: 'text', label: 'Text' })],
  outputs: [Label({ name: 'label', numTopClasses: 2 })],
  examples: [['I love it']],
  title: 'Sentiment',
});

const TOKENS = ['Once', ' upon', ' a', ' time', ' there', ' was', ' a', ' demo'];
const textGeneration = demo({
  async *fn({ prompt, maxTokens }) {
    let text = prompt;
    for (const token of TOKENS.slice(0, maxTokens)) {
      // The demo's own pace, one token every 5 ms, as a model would stream them.
      await new Promise((r) => setTimeout(r, 5));
      text += token;
      yield { text };
    }
  },
  inputs: [Textbox({ name: 'prompt' }), Num({ name: 'maxTokens', value: 8, minimum: 1, maximum: 8 })],
  outputs: [Textbox({ name: 'text' })],
  apiName: 'generate',
});

const chat = demo({
  async *fn({ message, history }) {
    const reply = `You said ${message}`;
    const messages: ChatMessage[] = [...history, { role: 'user' as const, content: message }];
    for (let i = 1; i <= reply.length; i += 4) {
      yield { chat: [...messages, { role: 'assistant' as const, content: reply.slice(0, i) }] };
    }
    return { chat: [...messages, { role: 'assistant' as const, content: reply }] };
  },
  inputs: [Textbox({ name: 'message' }), Chatbot({ name: 'history' })],
  outputs: [Chatbot({ name: 'chat' })],
});

const imageInfo = demo({
  fn: ({ image }) => ({ info: { mimeType: image.mimeType, size: image.size } }),
  inputs: [Image({ name: 'image' })],
  outputs: [Json({ name: 'info' })],
});

/** The queue demo: calls hold until released, and record the order they start in. */
let release: () => void = () => {};
let gate = Promise.resolve();
const started: number[] = [];
const ordered = demo({
  fn: async ({ caller }) => {
    started.push(caller);
    await gate;
    return { caller };
  },
  inputs: [Num({ name: 'caller' })],
  outputs: [Num({ name: 'caller' })],
  concurrencyLimit: 1,
});

describe('Gradio-compatible demo API', () => {
  let server: TestServer;
  const app = (id: string) => `${server.url}${spaceAppPath(id)}`;

  beforeAll(async () => {
    server = await startTestServer();
    await server.services.gradio.register('alice/sentiment', new InProcessDemoBackend(sentiment));
    await server.services.gradio.register('alice/textgen', new InProcessDemoBackend(textGeneration));
    await server.services.gradio.register('alice/chat', new InProcessDemoBackend(chat));
    await server.services.gradio.register('alice/image', new InProcessDemoBackend(imageInfo));
    await server.services.gradio.register('alice/ordered', new InProcessDemoBackend(ordered));
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('lets the unmodified @gradio/client connect with the full URL and predict labels', async () => {
    const client = await Client.connect(app('alice/sentiment'));
    const api = await client.view_api();
    expect(Object.keys(api.named_endpoints)).toEqual(['/predict']);
    expect(api.named_endpoints['/predict']?.parameters[0]).toMatchObject({
      parameter_name: 'text',
      component: 'Textbox',
    });
    const result = await client.predict('/predict', { text: 'I love this product' });
    expect(result.data).toEqual([
      {
        label: 'POSITIVE',
        confidences: [
          { label: 'POSITIVE', confidence: 0.9 },
          { label: 'NEGATIVE', confidence: expect.closeTo(0.1, 5) },
        ],
      },
    ]);
    client.close();
  });

  it('streams a generator token by token through submit', async () => {
    const client = await Client.connect(app('alice/textgen'), { events: ['data', 'status'] });
    const partials: string[] = [];
    const stages: string[] = [];
    for await (const message of client.submit('/generate', { prompt: 'Story:', maxTokens: 8 })) {
      if (message.type === 'data') partials.push((message.data as string[])[0] as string);
      if (message.type === 'status') stages.push(message.stage);
    }
    const expected = TOKENS.map((_, i) => `Story:${TOKENS.slice(0, i + 1).join('')}`);
    // Every token arrives as its own update, then the final value once more with completion.
    expect(partials).toEqual([...expected, expected.at(-1)]);
    expect(stages).toContain('generating');
    expect(stages.at(-1)).toBe('complete');
    client.close();
  });

  it('streams a growing chatbot reply and the client rebuilds every message from the diffs', async () => {
    const client = await Client.connect(app('alice/chat'));
    const replies: string[] = [];
    let last: ChatMessage[] = [];
    for await (const message of client.submit('/predict', ['hi', [{ role: 'user', content: 'earlier' }]])) {
      if (message.type !== 'data') continue;
      last = (message.data as ChatMessage[][])[0] as ChatMessage[];
      replies.push(last.at(-1)?.content ?? '');
    }
    expect(last).toEqual([
      { role: 'user', content: 'earlier' },
      { role: 'user', content: 'hi' },
      { role: 'assistant', content: 'You said hi' },
    ]);
    expect(replies.slice(0, 3)).toEqual(['Y', 'You s', 'You said ']);
    client.close();
  });

  it('uploads an image given as a Blob and passes it to the demo', async () => {
    const client = await Client.connect(app('alice/image'));
    const result = await client.predict('/predict', [new Blob([PNG], { type: 'image/png' })]);
    expect(result.data).toEqual([{ mimeType: 'image/png', size: PNG.length }]);
    client.close();

    // Without an upload: a data: URL in the body, as curl would send it; a foreign URL is refused.
    const send = async (image: unknown) => {
      const post = await fetch(`${app('alice/image')}/gradio_api/call/predict`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ data: [image] }),
      });
      const { event_id } = (await post.json()) as { event_id: string };
      return (await fetch(`${app('alice/image')}/gradio_api/call/predict/${event_id}`)).text();
    };
    expect(await send({ url: `data:image/png;base64,${PNG.toString('base64')}` })).toBe(
      `event: complete\ndata: [{"mimeType":"image/png","size":${PNG.length}}]\n\n`,
    );
    expect(await send({ path: 'x.png', url: 'http://169.254.169.254/x.png' })).toMatch(
      /^event: error\ndata: "Input \\"image\\": unknown or expired file/,
    );
  });

  it('fails only the call with bad input, with a message naming the input', async () => {
    const client = await Client.connect(app('alice/textgen'));
    const good = client.predict('/generate', ['Hi', 2]);
    await expect(client.predict('/generate', ['Hi', 99])).rejects.toThrow(
      'Input "maxTokens": must be at most 8',
    );
    expect((await good).data).toEqual(['HiOnce upon']);
    client.close();
  });

  it('answers /call/<api> for curl: an event id, then generating and complete events', async () => {
    const post = await run('curl', [
      '-sS',
      '-X',
      'POST',
      `${app('alice/textgen')}/gradio_api/call/generate`,
      '-H',
      'Content-Type: application/json',
      '-d',
      JSON.stringify({ data: ['>', 3] }),
    ]);
    const { event_id } = JSON.parse(post.stdout) as { event_id: string };
    expect(event_id).toMatch(/^[0-9a-f]{32}$/);
    const stream = await run('curl', [
      '-sSN',
      `${app('alice/textgen')}/gradio_api/call/generate/${event_id}`,
    ]);
    const events = stream.stdout
      .trim()
      .split('\n\n')
      .map((block) => {
        const [event, data] = block.split('\n');
        return [event?.replace('event: ', ''), JSON.parse(data?.replace('data: ', '') ?? 'null')];
      });
    expect(events).toEqual([
      ['generating', ['>Once']],
      ['generating', ['>Once upon']],
      ['generating', ['>Once upon a']],
      ['complete', ['>Once upon a']],
    ]);

    const bad = await fetch(`${app('alice/sentiment')}/gradio_api/call/predict`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ data: [7] }),
    });
    const badId = ((await bad.json()) as { event_id: string }).event_id;
    const badStream = await (
      await fetch(`${app('alice/sentiment')}/gradio_api/call/predict/${badId}`)
    ).text();
    expect(badStream).toBe('event: error\ndata: "Input \\"text\\": expected text, got a number"\n\n');
  });

  it('keeps queue order for 50 callers at once, with no errors', async () => {
    started.length = 0;
    gate = new Promise<void>((r) => {
      release = r;
    });
    const blocker = await Client.connect(app('alice/ordered'));
    const blocked = blocker.predict('/predict', [-1]);
    await waitFor(() => started.includes(-1), { what: 'the blocking call to start', interval: 5 });

    const callers: Client[] = await Promise.all(
      Array.from({ length: 50 }, () => Client.connect(app('alice/ordered'), { events: ['data', 'status'] })),
    );
    const joinRank = new Map<number, number>();
    const results = callers.map(async (client, caller) => {
      let value: unknown;
      for await (const message of client.submit('/predict', [caller])) {
        if (message.type === 'status' && message.stage === 'error') throw new Error(message.message);
        if (message.type === 'status' && typeof message.position === 'number' && !joinRank.has(caller)) {
          joinRank.set(caller, message.position);
        }
        if (message.type === 'data') value = (message.data as number[])[0];
      }
      client.close();
      return value;
    });
    await waitFor(() => joinRank.size === 50, {
      what: 'all 50 callers to join',
      timeout: 30_000,
      interval: 5,
    });
    release();
    expect(await Promise.all(results)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    await blocked;
    blocker.close();

    // Ranks at join are the arrival order; calls must start in exactly that order.
    const arrival = [...joinRank.entries()].sort((a, b) => a[1] - b[1]).map(([caller]) => caller);
    expect([...joinRank.values()].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(started).toEqual([-1, ...arrival]);
  });

  it('streams tokens from a demo hosted in another process over the app-mode messages', async () => {
    const channel = childProcessChannel(
      fileURLToPath(new URL('./fixtures/textGenerationApp.mjs', import.meta.url)),
    );
    try {
      await server.services.gradio.register('alice/hosted', new DemoHostBackend(channel));
      const client = await Client.connect(app('alice/hosted'));
      const partials: string[] = [];
      for await (const message of client.submit('/generate', { prompt: '>', maxTokens: 4 })) {
        if (message.type === 'data') partials.push((message.data as string[])[0] as string);
      }
      expect(partials).toEqual([
        '>Once',
        '>Once upon',
        '>Once upon a',
        '>Once upon a time',
        '>Once upon a time',
      ]);
      await expect(client.predict('/generate', ['>', 0])).rejects.toThrow(
        'Input "maxTokens": must be at least 1',
      );
      client.close();

      // The host going away fails the next call with a clear error instead of hanging it.
      channel.child.kill('SIGKILL');
      await new Promise((r) => channel.child.once('exit', r));
      const again = await Client.connect(app('alice/hosted'));
      await expect(again.predict('/generate', ['>', 2])).rejects.toThrow(/The app stopped/);
      again.close();
    } finally {
      channel.child.kill('SIGKILL');
      server.services.gradio.unregister('alice/hosted');
    }
  });

  it('gives "Use via API" snippets that work as printed: @gradio/client and curl', async () => {
    const described = await (await fetch(`${app('alice/textgen')}/demo`)).json();
    expect(described).toEqual(textGeneration.description);
    const snippets = demoApiSnippets(app('alice/textgen'), described);
    const script = path.join(path.dirname(fileURLToPath(import.meta.url)), `snippet-${process.pid}.tmp.mjs`);
    fs.writeFileSync(
      script,
      snippets.javascript.replace('console.log(message.data)', 'console.log(JSON.stringify(message.data))'),
    );
    try {
      const js = await run(process.execPath, [script], { timeout: 30_000 });
      expect(js.stdout.trim().split('\n').at(-1)).toBe(
        JSON.stringify(['Hello!!Once upon a time there was a demo']),
      );
    } finally {
      fs.rmSync(script, { force: true });
    }
    const curl = await run(
      'bash',
      ['-c', demoApiSnippets(app('alice/sentiment'), sentiment.description).curl],
      {
        timeout: 30_000,
      },
    );
    expect(curl.stdout).toContain('event: complete\ndata: [{"label":"NEGATIVE"');
    expect(snippets.python).toContain('api_name="/generate"');
  });

  it('fails a waiting call with a clear error when the app restarts, and serves the new app', async () => {
    const stuck = demo({
      fn: () => new Promise<{ n: number }>(() => {}),
      inputs: [],
      outputs: [Num({ name: 'n' })],
    });
    await server.services.gradio.register('alice/restarting', new InProcessDemoBackend(stuck));
    const client = await Client.connect(app('alice/restarting'), { events: ['data', 'status'] });
    // Waiting means listening: the caller's queue position arrives over its open data stream.
    const statuses: { stage: string; position?: number; message?: string }[] = [];
    void (async () => {
      for await (const message of client.submit('/predict', [])) {
        if (message.type === 'status') statuses.push(message);
        if (message.type === 'status' && message.stage === 'error') break;
      }
    })();
    await waitFor(() => statuses.some((s) => typeof s.position === 'number'), {
      what: 'the call to wait, listening for its answer',
    });
    const fixed = demo({ fn: () => ({ n: 42 }), inputs: [], outputs: [Num({ name: 'n' })] });
    await server.services.gradio.register('alice/restarting', new InProcessDemoBackend(fixed));
    const error = await waitFor(() => statuses.find((s) => s.stage === 'error'), {
      what: 'the caller to hear that the app restarted',
    });
    expect(error.message).toBe('The app stopped or restarted');
    client.close();
    const again = await Client.connect(app('alice/restarting'));
    expect((await again.predict('/predict', [])).data).toEqual([42]);
    again.close();
  });

  it('keeps a private Space’s app as private as its repository', async () => {
    const owner = await createUser(server.url);
    const create = await fetch(`${server.url}/api/repos/create`, {
      method: 'POST',
      headers: { ...bearer(owner.token), 'Content-Type': 'application/json' },
      body: JSON.stringify({ type: 'space', name: 'secret-demo', private: true, sdk: 'atrium' }),
    });
    expect(create.status).toBe(200);
    const id = `${owner.name}/secret-demo`;
    await server.services.gradio.register(id, new InProcessDemoBackend(sentiment));

    await expect(Client.connect(app(id))).rejects.toThrow(/received status 404/);
    const stranger = await createUser(server.url);
    await expect(Client.connect(app(id), { token: stranger.token as `hf_${string}` })).rejects.toThrow(/404/);
    const join = await fetch(`${app(id)}/gradio_api/call/predict`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ data: ['x'] }),
    });
    expect(join.status).toBe(404);

    const client = await Client.connect(app(id), { token: owner.token as `hf_${string}` });
    expect(
      ((await client.predict('/predict', ['I love secrets'])).data as { label: string }[])[0]?.label,
    ).toBe('POSITIVE');
    client.close();
    server.services.gradio.unregister(id);
  });

  it('holds a heartbeat stream open until the app stops', async () => {
    const stuck = demo({ fn: () => ({ n: 1 }), inputs: [], outputs: [Num({ name: 'n' })] });
    await server.services.gradio.register('alice/beating', new InProcessDemoBackend(stuck));
    const res = await fetch(`${app('alice/beating')}/gradio_api/heartbeat/abc`);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = res.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('data: {"msg":"heartbeat"}\n\n');
    server.services.gradio.unregister('alice/beating');
    expect((await reader.read()).done).toBe(true);
  });

  it('answers 404 for a Space with no running app', async () => {
    const res = await fetch(`${app('alice/missing')}/config`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: 'This Space has no running app' });
  });
});
