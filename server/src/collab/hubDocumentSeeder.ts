import { NOTEBOOK_FILE } from '@atrium/protocol';
import { payloadTooLarge } from '../errors.js';
import { splitRepoId } from '../hub/access.js';
import { importLimits } from '../notebooks/importTask.js';
import type { Services } from '../services.js';
import type { DocumentSeeder } from './DocumentSeeder.js';
import { seedsFrom, spaceStateFromFiles, type TextFile } from './documentFiles.js';

// A Space's binary files and big files stay in the repository only; live editing is for source text.
const MAX_SEED_FILE_BYTES = 1024 * 1024;
/** Notebooks up to this size are read in place; larger ones are parsed and built in the task worker. */
const INLINE_NOTEBOOK_BYTES = 256 * 1024;

/** Seeds a live document from its repository's main branch: the notebook, or a Space's text files. */
export function hubDocumentSeeder(services: Services): DocumentSeeder {
  return {
    async stateOf(doc) {
      const parts = splitRepoId(doc.repoId);
      const repo = parts && (await services.hub.repos.find(doc.kind, parts.owner, parts.name));
      if (!repo) return null;
      const commit = await services.hub.repos.resolveRevision(repo.id, 'main');
      if (!commit) return null;
      if (doc.kind === 'notebook') {
        const entry = await services.hub.repos.entry(commit, NOTEBOOK_FILE);
        if (!entry || entry.lfs) return null;
        if (entry.size > importLimits.maxBytes)
          throw payloadTooLarge(
            `${NOTEBOOK_FILE} is larger than ${importLimits.maxBytes / (1024 * 1024)} MB`,
            'notebook_too_large',
          );
        const file = await services.hub.blobs.readBuffer(entry.sha256);
        const { state } = await services.work.run(
          'notebookState',
          { file, docMaxBytes: services.config.collabDocMaxBytes },
          { inline: file.length <= INLINE_NOTEBOOK_BYTES, budgetMs: importLimits.budgetMs },
        );
        return state;
      }
      const files: TextFile[] = [];
      for (const entry of await services.hub.repos.entries(commit, '')) {
        if (entry.lfs || entry.size > MAX_SEED_FILE_BYTES || !seedsFrom(doc.kind, entry.path)) continue;
        const bytes = await services.hub.blobs.readBuffer(entry.sha256);
        if (bytes.includes(0)) continue;
        const content = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
        if (content.includes('\uFFFD')) continue;
        files.push({ path: entry.path, content });
      }
      return spaceStateFromFiles(files);
    },
  };
}
