import { publishDemos } from '@atrium/server/demoContent/demoSeeds';
import { Client } from '@gradio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, hasDocker, startTestServer, type TestServer } from '../harness/index.js';
import { RUNTIMES, startSandboxServer } from '../sandbox/sandboxTesting.js';
import { api } from '../spaces/runtimeTesting.js';

const TASKS = [
  'image-classification',
  'question-answering',
  'sentiment-analysis',
  'text-generation',
  'translation',
];
const ids = (list: { id: string }[]) => list.map((r) => r.id).sort();

describe('demo content on a fresh instance', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ seed: true });
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('publishes a liked Space and notebook per showcase task under atrium, listed to an anonymous visitor', async () => {
    const spaces = await api(server.url, '/api/spaces?author=atrium');
    expect(ids(spaces.body)).toEqual(TASKS.map((t) => `atrium/${t}`));
    for (const space of spaces.body) {
      expect(space.likes).toBe(1);
      expect(space.sdk).toBe('atrium');
    }
    const notebooks = await api(server.url, '/api/notebooks?author=atrium');
    expect(ids(notebooks.body)).toEqual(TASKS.map((t) => `atrium/${t}`));
    expect(notebooks.body.every((n: { likes: number }) => n.likes === 1)).toBe(true);
    // Trending puts liked demos first, which is what the home page shows.
    const trending = await api(server.url, '/api/spaces?sort=trendingScore&limit=3');
    expect(trending.body.every((s: { id: string }) => s.id.startsWith('atrium/'))).toBe(true);
  });

  it('makes the first person to sign up an admin of atrium, so the organization has a member', async () => {
    const first = await createUser(server.url);
    const second = await createUser(server.url);
    const org = await api(server.url, '/api/organizations/atrium');
    const members = (org.body.members ?? []) as { user: string; role: string }[];
    expect(members.map((m) => [m.user, m.role])).toEqual([[first.name, 'admin']]);
    expect(members.some((m) => m.user === second.name)).toBe(false);
  });

  it('lets an anonymous visitor open a seeded notebook with its cells and its card', async () => {
    const exported = await api(server.url, '/api/notebooks/atrium/translation/export');
    expect(exported.status).toBe(200);
    expect(exported.body.metadata.atrium.models).toEqual(['atrium/tiny-marian-en-fr']);
    expect(exported.body.cells.length).toBeGreaterThan(1);
    const info = await api(server.url, '/api/notebooks/atrium/translation');
    expect(info.body.cardData.title).toBe('Translation English to French');
    expect(info.body.cardData.sdk).toBeUndefined();
  });

  it('finds demos by words of their title and description and by task, as a person types them', async () => {
    const byTitle = await api(server.url, `/api/spaces?search=${encodeURIComponent('Sentiment Analysis')}`);
    expect(ids(byTitle.body)).toEqual(['atrium/sentiment-analysis']);
    const byDescription = await api(server.url, '/api/notebooks?search=french');
    expect(ids(byDescription.body)).toEqual(['atrium/translation']);
    const byTask = await api(server.url, '/api/spaces?filter=question-answering');
    expect(ids(byTask.body)).toEqual(['atrium/question-answering']);
    const models = await api(server.url, '/api/models?pipeline_tag=image-classification');
    expect(ids(models.body)).toEqual(['atrium/tiny-vit-colours']);
    const nothing = await api(server.url, '/api/spaces?search=sentiment&filter=translation');
    expect(nothing.body).toEqual([]);
  });

  it('pages a search with the Hub’s Link header', async () => {
    const first = await fetch(`${server.url}/api/spaces?search=transformers&limit=2`);
    expect(((await first.json()) as unknown[]).length).toBe(2);
    const next = /<([^>]+)>; rel="next"/.exec(first.headers.get('link') ?? '')?.[1];
    expect(next).toBeDefined();
    const rest = (await (await fetch(next ?? '')).json()) as unknown[];
    expect(rest.length).toBe(2);
  });

  it('seeds once: publishing again changes nothing and a restart keeps the same commits', async () => {
    const before = (await api(server.url, '/api/spaces?author=atrium')).body as { id: string; sha: string }[];
    const again = await publishDemos(server.services, 'atrium');
    expect(again.created).toEqual([]);
    expect(again.skipped.length).toBe(10);
    const dataDir = server.dataDir;
    await server.services.hub.repos.remove(
      (await server.services.hub.repos.find('notebook', 'atrium', 'translation'))?.id ?? '',
    );
    await server.close();
    server = await startTestServer({ seed: true, dataDir });
    const after = (await api(server.url, '/api/spaces?author=atrium')).body as { id: string; sha: string }[];
    expect(after.map((s) => [s.id, s.sha]).sort()).toEqual(before.map((s) => [s.id, s.sha]).sort());
    // Someone deleted a demo: it stays deleted.
    expect((await api(server.url, '/api/notebooks/atrium/translation')).status).toBe(404);
  }, 120_000);
});

describe.runIf(hasDocker()).each(RUNTIMES)('seeded Spaces in real sandboxes (%s)', (runtime) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startSandboxServer(runtime, { seed: true });
  }, 300_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('sleeps until its first visit, then wakes and answers an anonymous visitor', async () => {
    // Nothing started at seeding: no Space has a stage yet (a stage appears once one is built or visited).
    expect(server.services.spaceRuntimes.stats().stages).toEqual({});
    const client = await Client.connect(`${server.url}/spaces/atrium/sentiment-analysis/app`);
    const result = await client.predict('/predict', { text: 'I love this wonderful film!' });
    client.close();
    const label = (result.data as { label: string }[])[0]?.label;
    expect(label).toBe('POSITIVE');
  }, 240_000);
});
