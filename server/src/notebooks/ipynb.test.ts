import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { exportIpynb, type Ipynb, ipynbProblem, ydocFromIpynb } from './ipynb.js';
import { notebookCells } from './notebookDoc.js';

// Published by Hugging Face (see ../shared/fixtures/README.md); read in place, never copied.
const FIXTURES = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../../shared/fixtures/notebooks',
);

/** nbformat's normalization: multi-line strings as one string, ids optional before 4.5, minor bumped. */
function normalize(nb: Ipynb, keepIds: boolean) {
  const join = (v: unknown) => (Array.isArray(v) ? v.join('') : v);
  return {
    nbformat: nb.nbformat,
    metadata: nb.metadata,
    cells: nb.cells.map((cell) => {
      const { id, ...rest } = cell;
      const out: Record<string, unknown> = { ...rest, source: join(cell.source) };
      if (keepIds) out.id = id;
      if (Array.isArray(cell.outputs)) {
        out.outputs = cell.outputs.map((o) => {
          const output = { ...(o as Record<string, unknown>) };
          if ('text' in output) output.text = join(output.text);
          if (output.data && typeof output.data === 'object') {
            output.data = Object.fromEntries(Object.entries(output.data).map(([k, v]) => [k, join(v)]));
          }
          return output;
        });
      }
      return out;
    }),
  };
}

/** Import, send the whole document as a Yjs update to a second document, export from that one. */
function roundTrip(nb: Ipynb): Ipynb {
  const first = ydocFromIpynb(nb);
  const second = new Y.Doc();
  Y.applyUpdate(second, Y.encodeStateAsUpdate(first));
  return exportIpynb(second);
}

const handWritten: Ipynb = {
  nbformat: 4,
  nbformat_minor: 5,
  metadata: {
    kernelspec: { name: 'atrium-ts', display_name: 'TypeScript', language: 'typescript' },
    custom: { nested: [1, 2, { x: null }] },
  },
  cells: [
    {
      cell_type: 'markdown',
      id: 'md-1',
      metadata: { tags: ['intro'] },
      source: [
        '# Title\n',
        '\n',
        'A paragraph with ![cat](attachment:cat.png)\n',
        'and a last line without newline',
      ],
      attachments: {
        'cat.png': {
          'image/png':
            'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
        },
      },
    },
    {
      cell_type: 'code',
      id: 'code-1',
      metadata: { collapsed: false, scrolled: true },
      execution_count: 3,
      source: 'const x = 1;\nconsole.log(x);\nx + 1',
      outputs: [
        { output_type: 'stream', name: 'stdout', text: ['line one\n', 'line two\n'] },
        { output_type: 'stream', name: 'stderr', text: 'a warning\n' },
        {
          output_type: 'display_data',
          data: { 'text/html': ['<b>bold</b>\n', '<i>it</i>'], 'text/plain': '<IPython.HTML>' },
          metadata: { isolated: true },
        },
        {
          output_type: 'display_data',
          data: { 'image/png': 'iVBORw0KGgo=', 'image/svg+xml': '<svg xmlns="http://www.w3.org/2000/svg"/>' },
          metadata: { 'image/png': { width: 10, height: 20 } },
        },
        {
          output_type: 'display_data',
          data: {
            'application/json': { a: [1, 2, 3], b: { c: 'd' } },
            'application/vnd.jupyter.widget-view+json': {
              model_id: 'abc',
              version_major: 2,
              version_minor: 0,
            },
          },
          metadata: {},
          transient: { display_id: 'progress-1' },
        },
        {
          output_type: 'execute_result',
          execution_count: 3,
          data: {
            'text/plain': '2',
            'application/vnd.vegalite.v5+json': { mark: 'bar', data: { values: [{ a: 1 }] } },
          },
          metadata: {},
        },
        {
          output_type: 'error',
          ename: 'TypeError',
          evalue: 'x is not a function',
          traceback: ['TypeError: x is not a function', '    at <cell>:2:1'],
        },
      ],
    },
    { cell_type: 'raw', id: 'raw-1', metadata: { format: 'text/restructuredtext' }, source: '' },
    { cell_type: 'code', id: 'code-empty', metadata: {}, execution_count: null, source: [], outputs: [] },
  ],
};

describe('.ipynb import and export', () => {
  it('round-trips a hand-written notebook with every output type, attachments and multi-line sources exactly', () => {
    const back = roundTrip(handWritten);
    expect(normalize(back, true)).toEqual(normalize(handWritten, true));
    // Multi-line strings come back the way Jupyter writes them: lists of lines.
    expect(back.cells[0]!.source).toEqual(handWritten.cells[0]!.source);
    expect(back.cells[1]!.outputs).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'stdout', text: ['line one\n', 'line two\n'] }),
      ]),
    );
  });

  it('holds sources and stream text as Y.Text so collaborators edit them character by character', () => {
    const doc = ydocFromIpynb(handWritten);
    const cell = notebookCells(doc).get(1);
    expect(cell.get('source')).toBeInstanceOf(Y.Text);
    const stream = (cell.get('outputs') as Y.Array<Y.Map<unknown>>).get(0);
    expect(stream.get('text')).toBeInstanceOf(Y.Text);
    expect(cell.get('execution_state')).toBe('idle');
  });

  const fixtures = fs.existsSync(FIXTURES)
    ? fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.ipynb'))
    : [];
  it('finds the published fixture notebooks', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(7);
  });

  it.each(fixtures)('round-trips %s without loss under nbformat normalization', (file) => {
    const nb = JSON.parse(fs.readFileSync(path.join(FIXTURES, file), 'utf8')) as Ipynb;
    expect(ipynbProblem(nb)).toBeNull();
    const back = roundTrip(nb);
    const hadIds = nb.cells.every((c) => typeof c.id === 'string');
    expect(normalize(back, hadIds)).toEqual(normalize(nb, hadIds));
    expect(back.nbformat_minor).toBe(5);
    // Every cell has a valid 4.5 id, added where the original had none, all distinct.
    const ids = back.cells.map((c) => c.id as string);
    expect(ids.every((id) => /^[a-zA-Z0-9_-]{1,64}$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it.each([
    [{ nbformat: 3, cells: [] }, /nbformat 3/],
    [{ nbformat: 4, cells: 'x' }, /cells must be an array/],
    [{ nbformat: 4, cells: [{ cell_type: 'python' }] }, /unknown cell_type/],
    [[], /nbformat/],
  ])('explains why %j is not a notebook', (value, message) => {
    expect(ipynbProblem(value)).toMatch(message);
  });
});
