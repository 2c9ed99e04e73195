import type { NotebookKernelStatus, NotebookSessionView } from '@atrium/protocol';
import type { Request, RequestHandler } from 'express';
import { credentialCanWrite, requireWriter } from '../auth/Identity.js';
import type { DocumentRef } from '../collab/documentName.js';
import { parseDocumentName } from '../collab/documentName.js';
import { canonicalDocument } from '../collab/hubDocumentAccess.js';
import { forbidden, notFound } from '../errors.js';
import { byteLength, rawChunksOf } from '../http/rawBody.js';
import { validate } from '../http/validate.js';
import { atLeast, repoPermission } from '../hub/access.js';
import { CompleteBody, InspectBody } from '../runtime/schema.js';
import type { Services } from '../services.js';
import { createNotebook } from './commands/createNotebook.js';
import { exportNotebook } from './commands/exportNotebook.js';
import { importLimits } from './importTask.js';
import { RunBody } from './schema.js';

/** Import requests up to this size are built in place (a thread hand-off would cost more). */
const INLINE_IMPORT_BYTES = 256 * 1024;

const IDLE: NotebookKernelStatus = { state: 'none', reason: null, running: null, queued: [], runBy: null };

/** HTTP side of notebooks: create/import, export, and the shared kernel (run, interrupt, restart). */
export function notebookHandlers(services: Services) {
  /** The notebook named in the URL, if the caller may at least read it (404 otherwise, never 403). */
  async function notebookOf(
    req: Request,
    need: 'read' | 'write',
  ): Promise<{ ref: DocumentRef; user: string | null }> {
    const params = req.params as Record<string, string>;
    const named = parseDocumentName(`notebooks/${params.owner}/${params.name}`);
    // One session and one kernel per notebook, whatever the spelling of its name in the URL.
    const ref = named && (await canonicalDocument(services, named));
    if (!ref) throw notFound(`Notebook ${params.owner}/${params.name} not found`, 'repo_not_found');
    const permission = await repoPermission(services, req.identity, 'notebook', ref.repoId);
    if (permission === 'none') throw notFound(`Notebook ${ref.repoId} not found`, 'repo_not_found');
    if (need === 'read') return { ref, user: req.identity.user?.name ?? null };
    const user = requireWriter(req.identity);
    if (!atLeast(permission, 'write'))
      throw forbidden('You may read this notebook but not run it', 'read_only');
    return { ref, user: user.name };
  }

  const create: RequestHandler = async (req, res) => {
    const actor = requireWriter(req.identity);
    const body = rawChunksOf(req.body);
    // Parsed, checked and built in the task worker: a 49 MB notebook never holds the event loop.
    const { fields, notebook } = await services.work.run(
      'importNotebook',
      { body, docMaxBytes: services.config.collabDocMaxBytes },
      { inline: byteLength(body) <= INLINE_IMPORT_BYTES, budgetMs: importLimits.budgetMs },
    );
    res.status(201).json(await createNotebook(services, actor, { ...fields, notebook }));
  };

  const exportIpynb: RequestHandler = async (req, res) => {
    const { ref } = await notebookOf(req, 'read');
    const nb = await exportNotebook(services.collab, ref);
    const file = `${ref.repoId.split('/')[1] ?? 'notebook'}.ipynb`;
    res.set('content-disposition', `attachment; filename="${file}"`);
    res.type('application/x-ipynb+json').send(`${JSON.stringify(nb, null, 1)}\n`);
  };

  const session: RequestHandler = async (req, res) => {
    const { ref } = await notebookOf(req, 'read');
    const permission = await repoPermission(services, req.identity, 'notebook', ref.repoId);
    const view: NotebookSessionView = {
      canWrite: atLeast(permission, 'write') && credentialCanWrite(req.identity),
      kernel: services.notebooks.find(ref.name)?.status ?? IDLE,
    };
    res.json(view);
  };

  const run: RequestHandler = async (req, res) => {
    // Read before the permission query: a revocation published while it runs still reaches the claim.
    const since = services.liveAccess.changesHeard;
    const { ref, user } = await notebookOf(req, 'write');
    const body = validate(RunBody, req.body ?? {}, 'body');
    const session = services.notebooks.session(ref);
    // The asker's access is held while their cells wait or run: losing it drops them (auth/README.md).
    const asked = new AbortController();
    const release = services.liveAccess.claim(
      {
        identity: req.identity,
        repoId: ref.repoKey,
        need: 'write',
        lost: () => asked.abort(),
      },
      since,
    );
    const request = { signal: asked.signal, settled: release };
    try {
      const status = body.all
        ? await session.runAll(user as string, request)
        : await session.run(body.cells ?? [], user as string, request);
      res.status(202).json(status);
    } catch (err) {
      release();
      throw err;
    }
  };

  const interrupt: RequestHandler = async (req, res) => {
    const { ref } = await notebookOf(req, 'write');
    res.json(await services.notebooks.session(ref).interrupt());
  };

  const restart: RequestHandler = async (req, res) => {
    const { ref } = await notebookOf(req, 'write');
    res.json(await services.notebooks.session(ref).restart());
  };

  /** Tab and Shift+Tab in a cell: asked of the notebook's live kernel (none running: no answer). */
  const complete: RequestHandler = async (req, res) => {
    const { ref } = await notebookOf(req, 'write');
    res.json(await services.notebooks.session(ref).complete(validate(CompleteBody, req.body)));
  };

  const inspect: RequestHandler = async (req, res) => {
    const { ref } = await notebookOf(req, 'write');
    res.json(await services.notebooks.session(ref).inspect(validate(InspectBody, req.body)));
  };

  return { create, exportIpynb, session, run, interrupt, restart, complete, inspect };
}
