import * as Y from 'yjs';
import { collabLimits } from '../collab/limits.js';
import { jsonDepth } from '../collab/nesting.js';
import { badRequest, payloadTooLarge } from '../errors.js';
import { joinChunks } from '../http/rawBody.js';
import { validate } from '../http/validate.js';
import { gitBlobOid } from '../hub/gitOid.js';
import { BLANK_NOTEBOOK } from './blankNotebook.js';
import { exportIpynb, type Ipynb, importIpynb, ipynbProblem } from './ipynb.js';
import { notebookCells } from './notebookDoc.js';
import { notebookTemplate } from './notebookTemplate.js';
import { CreateBody } from './schema.js';

/** What an imported notebook may be; above these the import is refused with a 413 saying which. */
export const importLimits = {
  /** Largest `.ipynb` (or import request) taken in. */
  maxBytes: 64 * 1024 * 1024,
  maxCells: 10_000,
  /** Nesting of the notebook's JSON, held to the live document's limit. */
  maxDepth: collabLimits.maxNestingDepth,
  /** Time one import may take in the worker (a 49 MB notebook takes about 2 s on an idle core). */
  budgetMs: 60_000,
} as const;

/** A notebook as the repository stores it, checked to fit a live document. */
export interface ImportedNotebook {
  /** notebook.ipynb, normalized to nbformat 4.5 (cell ids added). */
  content: Uint8Array;
  /** Its git blob id, computed here rather than on the event loop. */
  gitOid: string;
  cells: number;
}

const MB = 1024 * 1024;
const mb = (bytes: number) => `${(bytes / MB).toFixed(1)} MB`;

/** Parses JSON bytes, refusing malformed text (400) and nesting past the limit (413). */
function parseJson(bytes: Uint8Array, what: string, depthAllowance: number): unknown {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw badRequest(`${what} is not valid UTF-8 JSON`, 'malformed_json');
  }
  const limit = importLimits.maxDepth + depthAllowance;
  if (jsonDepth(value, limit) > limit)
    throw payloadTooLarge(`${what} nests deeper than ${importLimits.maxDepth} levels`, 'nesting_too_deep');
  return value;
}

/**
 * Checks a parsed notebook against the limits and builds its live document, which must fit
 * `docMaxBytes` encoded; `use` reads what it needs from the document before it is freed.
 */
function withNotebookDoc<T>(
  value: unknown,
  docMaxBytes: number,
  use: (doc: Y.Doc, state: Uint8Array) => T,
): T {
  const problem = ipynbProblem(value);
  if (problem) throw badRequest(`Not a Jupyter notebook: ${problem}`, 'invalid_notebook');
  const nb = value as Ipynb;
  if (nb.cells.length > importLimits.maxCells)
    throw payloadTooLarge(
      `The notebook has ${nb.cells.length} cells; at most ${importLimits.maxCells} can be imported`,
      'too_many_cells',
    );
  const doc = new Y.Doc();
  try {
    importIpynb(doc, nb);
    const state = Y.encodeStateAsUpdate(doc);
    if (state.length > docMaxBytes)
      throw payloadTooLarge(
        `The notebook is ${mb(state.length)} as a live document; the limit is ${mb(docMaxBytes)} (ATRIUM_COLLAB_DOC_MAX_MB)`,
        'notebook_too_large',
      );
    return use(doc, state);
  } finally {
    doc.destroy();
  }
}

/** The notebook.ipynb a repository stores for a parsed notebook (normalized to nbformat 4.5). */
export function notebookFile(value: unknown, docMaxBytes: number): ImportedNotebook {
  return withNotebookDoc(value, docMaxBytes, (doc) => {
    const content = new TextEncoder().encode(`${JSON.stringify(exportIpynb(doc), null, 1)}\n`);
    return { content, gitOid: gitBlobOid(content), cells: notebookCells(doc).length };
  });
}

/** Worker task behind `POST /api/notebooks/new`: the request body, parsed, checked and built. */
export function importNotebookTask(input: { body: Uint8Array[]; docMaxBytes: number }) {
  const bytes = joinChunks(input.body);
  // The request wraps the notebook in one object: one level more than the notebook itself.
  const raw = bytes.length === 0 ? {} : parseJson(bytes, 'The request body', 1);
  const body = validate(CreateBody, raw, 'body');
  if (body.template !== undefined && body.notebook !== undefined)
    throw badRequest('Send a notebook or a template, not both', 'notebook_and_template');
  const template = body.template === undefined ? undefined : notebookTemplate(body.template);
  if (body.template !== undefined && !template)
    throw badRequest(`There is no notebook template called ${body.template}`, 'unknown_template');
  const notebook = notebookFile(template?.ipynb ?? body.notebook ?? BLANK_NOTEBOOK, input.docMaxBytes);
  return {
    fields: {
      name: body.name,
      organization: body.organization,
      private: body.private,
      card: template?.card ?? undefined,
    },
    notebook,
  };
}

/** Worker task seeding a live document from a repository's notebook.ipynb. */
export function notebookStateTask(input: { file: Uint8Array; docMaxBytes: number }): {
  state: Uint8Array | null;
} {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(input.file));
  } catch {
    // A file that does not parse is left out of the live document, never a reason to refuse it.
    return { state: null };
  }
  if (ipynbProblem(value) !== null) return { state: null };
  if (jsonDepth(value, importLimits.maxDepth) > importLimits.maxDepth)
    throw payloadTooLarge(
      `notebook.ipynb nests deeper than ${importLimits.maxDepth} levels`,
      'nesting_too_deep',
    );
  return { state: withNotebookDoc(value, input.docMaxBytes, (_doc, state) => state) };
}
