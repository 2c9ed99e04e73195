import type { RequestHandler } from 'express';
import { z } from 'zod';
import { requireWriter } from '../auth/Identity.js';
import { forbidden, notFound } from '../errors.js';
import { validate } from '../http/validate.js';
import { atLeast, repoPermission } from '../hub/access.js';
import type { Services } from '../services.js';
import { saveDocument } from './commands/saveDocument.js';
import { parseDocumentName } from './documentName.js';
import { canonicalDocument } from './hubDocumentAccess.js';

const SaveBody = z.object({ message: z.string().max(10_000).optional() }).optional();

/** HTTP side of live documents: saving one into its repository's history. */
export function collabHandlers(services: Services) {
  const save: RequestHandler = async (req, res) => {
    const author = requireWriter(req.identity);
    const body = validate(SaveBody, req.body ?? {}, 'body');
    const params = req.params as Record<string, string>;
    const named = parseDocumentName(`${params.kind}/${params.owner}/${params.name}`);
    if (!named) throw notFound('No such live document', 'document_not_found');
    // Whatever the spelling, the one room of the repository is saved into the repository itself.
    const doc = await canonicalDocument(services, named);
    if (!doc) throw notFound(`Repository ${named.repoId} not found`, 'repo_not_found');
    const permission = await repoPermission(services, req.identity, doc.kind, doc.repoId);
    if (permission === 'none') throw notFound(`Repository ${doc.repoId} not found`, 'repo_not_found');
    if (!atLeast(permission, 'write'))
      throw forbidden('You may read this document but not save it', 'read_only');
    res
      .status(201)
      .json(await saveDocument(services, services.collab, { doc, author, message: body?.message }));
  };
  return { save };
}
