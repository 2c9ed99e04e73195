import { KERNEL_PRESENCE_FIELD, type NotebookKernelStatus } from '@atrium/protocol';
import type { Page } from 'playwright-core';
import type * as Y from 'yjs';
import type { TestUser } from '../harness/index.js';
import { bearer } from '../harness/index.js';

/** What a new notebook starts from and where it goes: an .ipynb, or a template; an organization; private. */
export interface NewNotebook {
  notebook?: unknown;
  template?: string;
  organization?: string;
  private?: boolean;
}

/** POSTs /api/notebooks/new as `user`: the raw response, for tests of refusals. */
export function postNewNotebook(url: string, user: TestUser, name: string, options: NewNotebook = {}) {
  return fetch(`${url}/api/notebooks/new`, {
    method: 'POST',
    headers: { ...bearer(user.token), 'content-type': 'application/json' },
    body: JSON.stringify({ name, ...options }),
  });
}

/** Creates a notebook over HTTP (blank, from an .ipynb or a template) and returns its repo id. */
export async function createNotebook(
  url: string,
  user: TestUser,
  name: string,
  options: NewNotebook = {},
): Promise<string> {
  const res = await postNewNotebook(url, user, name, options);
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}

/** POSTs to one of the kernel routes with a bearer token. */
export function kernelCall(
  url: string,
  token: string,
  id: string,
  verb: 'run' | 'interrupt' | 'restart',
  body?: unknown,
) {
  return fetch(`${url}/api/notebooks/${id}/${verb}`, {
    method: 'POST',
    headers: { ...bearer(token), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
}

/** A notebook with these code cells (ids c0, c1, …), as nbformat 4.5. */
export function notebookOf(sources: string[]) {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: { name: 'atrium-typescript', display_name: 'TypeScript', language: 'typescript' },
    },
    cells: sources.map((source, i) => ({
      cell_type: 'code',
      id: `c${i}`,
      source,
      metadata: {},
      outputs: [],
      execution_count: null,
    })),
  };
}

/** The cell's Y.Map in a client's copy of the notebook. */
export function cellOf(doc: Y.Doc, id: string): Y.Map<unknown> | undefined {
  return doc
    .getArray<Y.Map<unknown>>('cells')
    .toArray()
    .find((c) => c.get('id') === id);
}

/** All stream text of a cell's outputs, joined. */
export function streamText(doc: Y.Doc, id: string): string {
  const outputs = cellOf(doc, id)?.get('outputs') as Y.Array<Y.Map<unknown>> | undefined;
  return (outputs?.toArray() ?? [])
    .filter((o) => o.get('output_type') === 'stream')
    .map((o) => String(o.get('text')))
    .join('');
}

/** The kernel status the server publishes in the room's presence. */
export function kernelStatusIn(
  states: Map<number, Record<string, unknown>>,
): NotebookKernelStatus | undefined {
  for (const s of states.values())
    if (!s.user && s[KERNEL_PRESENCE_FIELD]) return s[KERNEL_PRESENCE_FIELD] as NotebookKernelStatus;
  return undefined;
}

/**
 * A large notebook like a long training run leaves behind: code cells, each with a 100-line stream
 * output, an HTML table and a 16 KB image, until the JSON is about `targetBytes`.
 */
export function bigNotebook(targetBytes: number) {
  const image = 'iVBORw0KGgo'.padEnd(16_000, 'A');
  const cells: Record<string, unknown>[] = [];
  let size = 0;
  for (let i = 0; size < targetBytes; i++) {
    const cell = {
      cell_type: 'code',
      id: `c${i}`,
      metadata: { tags: ['training'] },
      execution_count: i + 1,
      source: [`for (let step = 0; step < 100; step++) {\n`, '  console.log(step, loss(step));\n', '}'],
      outputs: [
        {
          output_type: 'stream',
          name: 'stdout',
          text: Array.from(
            { length: 100 },
            (_, j) => `step ${i}.${j}: loss=${((i * 100 + j) % 997) / 997}\n`,
          ),
        },
        {
          output_type: 'display_data',
          metadata: {},
          data: {
            'text/html': Array.from(
              { length: 40 },
              (_, j) => `<tr><td>${j}</td><td>${(i * j) % 101}</td></tr>\n`,
            ),
            'text/plain': ['table'],
          },
        },
        {
          output_type: 'display_data',
          metadata: {},
          data: { 'image/png': image, 'text/plain': ['<Figure>'] },
        },
      ],
    };
    size += JSON.stringify(cell).length + 1;
    cells.push(cell);
  }
  return { ...notebookOf([]), cells };
}

/** Opens a notebook's page (`prefix`: `/embed/notebooks` for the embed) and waits until its cells are synced. */
export async function openNotebook(page: Page, id: string, prefix = '/notebooks') {
  await page.goto(`${prefix}/${id}`);
  await page.locator('[data-testid="cells"][data-synced="true"]').waitFor();
}

/** The outputs area of a cell on a notebook page. */
export const outputsOf = (page: Page, cell: string) =>
  page.locator(`[data-cell-id="${cell}"] [data-testid="outputs"]`);
