import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  createUser,
  startTestServer,
  type TestServer,
  type TestUser,
  uniqueName,
} from '../harness/index.js';
import { createNotebook } from './notebookClient.js';

// Notebooks published by Hugging Face (../shared/fixtures/README.md), read in place.
const FIXTURES = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../../shared/fixtures/notebooks',
);

type Nb = { nbformat: number; nbformat_minor: number; metadata: unknown; cells: Record<string, unknown>[] };

/** nbformat's own equivalence: multi-line strings as one string; ids are compared when the file had them. */
function normalize(nb: Nb, keepIds: boolean) {
  const join = (v: unknown) => (Array.isArray(v) ? v.join('') : v);
  return {
    nbformat: nb.nbformat,
    metadata: nb.metadata,
    cells: nb.cells.map(({ id, ...cell }) => ({
      ...cell,
      ...(keepIds ? { id } : {}),
      source: join(cell.source),
      ...(Array.isArray(cell.outputs)
        ? {
            outputs: cell.outputs.map((o: Record<string, unknown>) => ({
              ...o,
              ...('text' in o ? { text: join(o.text) } : {}),
              ...(o.data
                ? { data: Object.fromEntries(Object.entries(o.data as object).map(([k, v]) => [k, join(v)])) }
                : {}),
            })),
          }
        : {}),
    })),
  };
}

const PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

/** Hand-written: multi-line sources, an attachment, and every output type. */
const EVERYTHING: Nb = {
  nbformat: 4,
  nbformat_minor: 5,
  metadata: {
    kernelspec: { name: 'atrium-typescript', display_name: 'TypeScript', language: 'typescript' },
    custom: { a: [1, { b: null }] },
  },
  cells: [
    {
      cell_type: 'markdown',
      id: 'intro',
      metadata: { tags: ['intro'] },
      source: ['# Title\n', '\n', '![dot](attachment:dot.png)\n', 'Last line without newline'],
      attachments: { 'dot.png': { 'image/png': PNG } },
    },
    {
      cell_type: 'code',
      id: 'all-outputs',
      metadata: { collapsed: false },
      execution_count: 7,
      source: ['const a = 1;\n', 'console.log(a);\n', 'a + 1'],
      outputs: [
        { output_type: 'stream', name: 'stdout', text: ['one\n', 'two\n'] },
        { output_type: 'stream', name: 'stderr', text: ['warning\n'] },
        {
          output_type: 'display_data',
          metadata: { 'image/png': { width: 1 } },
          data: { 'image/png': PNG, 'text/plain': ['<Figure>'] },
        },
        {
          output_type: 'display_data',
          metadata: {},
          data: {
            'image/svg+xml': ['<svg xmlns="http://www.w3.org/2000/svg">\n', '<circle r="1"/>\n', '</svg>'],
          },
        },
        {
          output_type: 'display_data',
          metadata: {},
          data: { 'text/html': ['<table>\n', '<tr><td>1</td></tr>\n', '</table>'], 'text/plain': ['table'] },
        },
        {
          output_type: 'display_data',
          metadata: {},
          data: { 'application/json': { x: [1, 2], y: { z: 'w' } } },
        },
        {
          output_type: 'display_data',
          metadata: {},
          data: { 'application/vnd.vegalite.v5+json': { mark: 'bar', data: { values: [] } } },
        },
        { output_type: 'execute_result', execution_count: 7, metadata: {}, data: { 'text/plain': ['2'] } },
        {
          output_type: 'error',
          ename: 'TypeError',
          evalue: 'bad',
          traceback: ['\u001b[31mTypeError\u001b[0m: bad', '    at cell:1:1'],
        },
      ],
    },
    { cell_type: 'raw', id: 'raw-1', metadata: { format: 'text/plain' }, source: 'raw\ntext' },
  ],
};

describe('notebook import and export over HTTP', () => {
  let server: TestServer;
  let user: TestUser;
  beforeAll(async () => {
    server = await startTestServer();
    user = await createUser(server.url);
  });
  afterAll(async () => {
    await server?.stop();
  });

  async function roundTrip(nb: Nb): Promise<Nb> {
    const id = await createNotebook(server.url, user, uniqueName('nb'), { notebook: nb });
    const res = await fetch(`${server.url}/api/notebooks/${id}/export`, { headers: bearer(user.token) });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain('.ipynb');
    return (await res.json()) as Nb;
  }

  it('exports an imported notebook with every output type, attachments and multi-line sources unchanged', async () => {
    const back = await roundTrip(EVERYTHING);
    expect(back.nbformat_minor).toBe(5);
    expect(normalize(back, true)).toEqual(normalize(EVERYTHING, true));
  });

  const fixtures = fs.existsSync(FIXTURES)
    ? fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.ipynb'))
    : [];
  it.each(fixtures)('round-trips the published notebook %s through the live document', async (file) => {
    const nb = JSON.parse(fs.readFileSync(path.join(FIXTURES, file), 'utf8')) as Nb;
    const back = await roundTrip(nb);
    // Cells without ids get one on import (nbformat 4.5); everything else is as it was.
    expect(back.cells.every((c) => typeof c.id === 'string')).toBe(true);
    expect(normalize(back, false)).toEqual(normalize(nb, false));
  });

  it('creates a blank notebook with one empty code cell', async () => {
    const id = await createNotebook(server.url, user, uniqueName('blank'));
    const back = (await (
      await fetch(`${server.url}/api/notebooks/${id}/export`, { headers: bearer(user.token) })
    ).json()) as Nb;
    expect(back.cells).toHaveLength(1);
    expect(back.cells[0]).toMatchObject({ cell_type: 'code', source: [], outputs: [] });
    const file = await fetch(`${server.url}/notebooks/${id}/resolve/main/notebook.ipynb`, {
      headers: bearer(user.token),
    });
    expect(file.status).toBe(200);
  });

  it('refuses what is not a notebook and readers of private notebooks see a 404', async () => {
    const notJson = await fetch(`${server.url}/api/notebooks/new`, {
      method: 'POST',
      headers: { ...bearer(user.token), 'content-type': 'application/json' },
      body: '{"name": "x", "notebook": ',
    });
    expect(notJson.status).toBe(400);
    const cells = await fetch(`${server.url}/api/notebooks/new`, {
      method: 'POST',
      headers: { ...bearer(user.token), 'content-type': 'application/json' },
      body: JSON.stringify({
        name: uniqueName('nb'),
        notebook: { nbformat: 4, cells: [{ cell_type: 'widget' }] },
      }),
    });
    expect(cells.status).toBe(400);
    expect((await cells.json()).error).toMatch(/unknown cell_type/);
    const priv = await fetch(`${server.url}/api/notebooks/new`, {
      method: 'POST',
      headers: { ...bearer(user.token), 'content-type': 'application/json' },
      body: JSON.stringify({ name: uniqueName('secret'), private: true }),
    });
    const { id } = (await priv.json()) as { id: string };
    const stranger = await createUser(server.url);
    for (const route of ['export', 'session']) {
      const res = await fetch(`${server.url}/api/notebooks/${id}/${route}`, {
        headers: bearer(stranger.token),
      });
      expect(res.status).toBe(404);
    }
  });
});
