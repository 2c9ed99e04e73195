import { Client } from '@gradio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, hasDocker, startTestServer, type TestServer, type TestUser } from '../harness/index.js';
import { uniqueInstance } from '../sandbox/sandboxTesting.js';
import { api, readLog, waitForStage } from './runtimeTesting.js';

describe.runIf(hasDocker())('template Spaces in real sandboxes through @gradio/client', () => {
  let server: TestServer;
  let alice: TestUser;

  beforeAll(async () => {
    server = await startTestServer({
      instanceId: uniqueInstance(),
      sandboxPoolSize: 0,
      sandboxPoolEager: false,
    });
    await server.services.runtime.whenReady();
    if (server.services.runtime.image.state !== 'present') throw new Error('the sandbox image is not ready');
    alice = await createUser(server.url);
  }, 300_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('streams tokens from the text-generation template Space as the model writes them', async () => {
    const made = await api(server.url, '/api/spaces/from-template', {
      body: { template: 'text-generation', name: 'story' },
      user: alice,
    });
    expect(made.status).toBe(201);
    const id = `${alice.name}/story`;
    const runtime = await waitForStage(
      server.url,
      id,
      ['RUNNING', 'BUILD_ERROR', 'RUNTIME_ERROR'],
      undefined,
      180_000,
    );
    expect(runtime.errorMessage).toBeUndefined();
    expect(runtime.stage).toBe('RUNNING');
    const build = await readLog(server.url, id, 'build', (l) => l.includes('Running'));
    expect(build.lines).toContain('Providing models: atrium/tiny-gpt2-alice');

    const client = await Client.connect(`${server.url}/spaces/${id}/app`, { events: ['data', 'status'] });
    const partials: string[] = [];
    let completed = false;
    for await (const message of client.submit('/predict', { prompt: 'Alice was', tokens: 12 })) {
      if (message.type === 'data') partials.push((message.data as string[])[0] as string);
      if (message.type === 'status' && message.stage === 'complete') completed = true;
    }
    client.close();
    expect(completed).toBe(true);
    // Token by token: many updates, each extending the one before, all starting with the prompt.
    expect(partials.length).toBeGreaterThanOrEqual(5);
    for (let i = 1; i < partials.length; i++)
      expect(partials[i]?.startsWith(partials[i - 1] ?? '')).toBe(true);
    expect(partials[0]?.startsWith('Alice was')).toBe(true);
    expect((partials.at(-1) ?? '').length).toBeGreaterThan('Alice was'.length + 5);

    const predicted = await (await Client.connect(`${server.url}/spaces/${id}/app`)).predict('/predict', [
      'Alice was',
      4,
    ]);
    expect((predicted.data as string[])[0]).toMatch(/^Alice was./);
  }, 240_000);

  it('labels a sentence with the sentiment template Space', async () => {
    await api(server.url, '/api/spaces/from-template', {
      body: { template: 'sentiment-analysis', name: 'mood' },
      user: alice,
    });
    const id = `${alice.name}/mood`;
    expect(
      (await waitForStage(server.url, id, ['RUNNING', 'BUILD_ERROR', 'RUNTIME_ERROR'], undefined, 180_000))
        .stage,
    ).toBe('RUNNING');
    const client = await Client.connect(`${server.url}/spaces/${id}/app`);
    const result = await client.predict('/predict', { text: 'I love this wonderful film!' });
    client.close();
    const label = (
      result.data as { label: string; confidences: { label: string; confidence: number }[] }[]
    )[0];
    expect(label?.confidences).toHaveLength(2);
    expect(label?.confidences.reduce((s, c) => s + c.confidence, 0)).toBeCloseTo(1, 3);
    expect(typeof label?.label).toBe('string');
  }, 240_000);
});
